package org.webims.gateway.web.wwsf;

import jakarta.ejb.EJB;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.webims.gateway.ejb.waf.IdentityProvider;
import org.webims.gateway.ejb.waf.WafService;

/**
 * The softphone page's Content-Security-Policy, sent as a header (a {@code <meta>} policy cannot say
 * {@code frame-ancestors}, and cannot name the identity provider, which is configuration): everything from this
 * origin, except that the page may redeem its sign-in code at the operator's identity provider (RFC 7636 PKCE flow).
 * On everything the default servlet serves ("/" maps all of it), however the path is spelt; never blocking: the
 * provider is named once {@code /waf/sign-in} has discovered it.
 */
@WebFilter(urlPatterns = {"/", "/index.html"})
public class SoftphonePageHeaders extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @EJB
    private WafService waf;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String identityProvider = waf.signInOffered()
                ? waf.knownIdentityProvider().map(IdentityProvider::origin).map(o -> " " + o).orElse("") : "";
        response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self';"
                + " connect-src 'self'" + identityProvider + "; img-src 'self' data:;"
                + " media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'self'; form-action 'none';"
                + " frame-ancestors 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer"); // the sign-in code in the URL goes nowhere else
        chain.doFilter(request, response);
    }
}
