package org.webims.gateway.web.wwsf;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.webims.gateway.ejb.waf.IdentityProvider;
import org.webims.gateway.ejb.waf.WafService;

/**
 * {@code GET /waf/sign-in}: how the softphone offers "Sign in with your operator account" (TS 24.371 scenario 2):
 * the identity provider's endpoints and the softphone's client id there, or {@code "operator": null} when the
 * operator has configured none. 503 while the configured provider cannot be reached.
 */
@WebServlet("/waf/sign-in")
public class SignInOptionsEndpoint extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private WafService waf;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        JsonObjectBuilder body = Json.createObjectBuilder();
        if (!waf.signInOffered()) {
            body.addNull("operator");
        } else {
            Optional<IdentityProvider> idp = waf.identityProvider();
            if (idp.isEmpty()) {
                response.setStatus(503);
                response.setHeader("Retry-After", "10");
                response.getWriter().write(Json.createObjectBuilder().add("error", "temporarily_unavailable")
                        .add("error_description", "the identity provider cannot be reached").build().toString());
                return;
            }
            body.add("operator", Json.createObjectBuilder().add("issuer", idp.get().issuer())
                    .add("clientId", waf.softphoneClientId())
                    .add("authorizationEndpoint", idp.get().authorizationEndpoint())
                    .add("tokenEndpoint", idp.get().tokenEndpoint()));
        }
        response.getWriter().write(body.build().toString());
    }
}
