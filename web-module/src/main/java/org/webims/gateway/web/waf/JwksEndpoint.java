package org.webims.gateway.web.waf;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.webims.gateway.ejb.waf.WafService;
import java.io.IOException;

/** {@code GET /waf/jwks}: the WAF's public signing keys (RFC 7517 §5), for anyone who checks its tokens. */
@WebServlet("/waf/jwks")
public class JwksEndpoint extends HttpServlet {
    @EJB
    private WafService waf;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/jwk-set+json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "max-age=300"); // a rotated key is published before it signs
        response.getWriter().write(waf.jwks());
    }
}
