package org.webims.gateway.web.api.policy;

import jakarta.ejb.EJBException;
import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A change the database refused because another one of the same entry committed first (two first PUTs of one key):
 * 409 Conflict, to be tried again; any other EJB failure under the API is a 500 with its cause in the log only.
 */
@Provider
public class ConcurrentChangeMapper implements ExceptionMapper<EJBException> {
    private static final Logger LOG = Logger.getLogger(ConcurrentChangeMapper.class.getName());

    @Override
    public Response toResponse(EJBException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // a duplicate key or a lock another change held; a database that is down is no conflict (500)
            if (t instanceof jakarta.persistence.EntityExistsException
                    || t instanceof jakarta.persistence.OptimisticLockException
                    || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.LockTimeoutException
                    || t.getClass().getSimpleName().equals("ConstraintViolationException")) {
                LOG.log(Level.INFO, "Policy change refused by the database (a concurrent change)", e);
                return answer(Response.Status.CONFLICT, "changed at the same time by another request: try again");
            }
        }
        LOG.log(Level.SEVERE, "An EJB failed under the admin API", e);
        return answer(Response.Status.INTERNAL_SERVER_ERROR, "internal error (see the server log)");
    }

    private static Response answer(Response.Status status, String error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", error).build()).build();
    }
}
