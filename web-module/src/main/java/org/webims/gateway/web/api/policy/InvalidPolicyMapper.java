package org.webims.gateway.web.api.policy;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.webims.gateway.ejb.policy.InvalidPolicy;

/** A policy that cannot be set: 400 Bad Request (409 Conflict for an Origin of another provider), naming the field. */
@Provider
public class InvalidPolicyMapper implements ExceptionMapper<InvalidPolicy> {
    @Override
    public Response toResponse(InvalidPolicy e) {
        return Response.status(e.conflict() ? Response.Status.CONFLICT : Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", e.getMessage()).add("field", e.field()).build())
                .build();
    }
}
