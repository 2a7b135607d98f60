package org.webims.gateway.web.api.waf;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.logging.Logger;
import org.webims.gateway.ejb.waf.WafService;

/**
 * {@code /api/waf/keys} (admin role): the WAF's signing keys. {@code POST} rotates: a new key signs from now on, the
 * one before stays published (tokens it signed live at most five minutes), older ones are deleted with their private
 * parts. {@code GET} lists the key ids published at {@code /waf/jwks}, newest first.
 */
@Path("waf/keys")
@Produces(MediaType.APPLICATION_JSON)
public class WafKeysResource {
    private static final Logger LOG = Logger.getLogger(WafKeysResource.class.getName());

    @EJB
    WafService waf;

    @Context
    SecurityContext security;

    @GET
    public Response keys() {
        var ids = Json.createArrayBuilder();
        waf.keyIds().forEach(ids::add);
        return Response.ok(Json.createObjectBuilder().add("keys", ids).build()).build();
    }

    @POST
    public Response rotate() {
        String kid = waf.rotate();
        String who = security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName();
        LOG.info(() -> "WAF signing key rotated by " + who + ": " + kid + " signs from now on");
        return Response.status(Response.Status.CREATED).entity(Json.createObjectBuilder().add("kid", kid).build())
                .build();
    }
}
