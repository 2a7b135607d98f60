package org.webims.gateway.web.api.qos;

import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.webims.gateway.ejb.qos.QosService;
import org.webims.gateway.web.api.StatusJson;

/**
 * {@code /api/qos} (admin role). {@code GET status}: the QoS mode ({@code off} without PCRFs, {@code required},
 * {@code best-effort}), each PCRF's watchdog state and the Rx sessions held.
 */
@Path("qos")
@Produces(MediaType.APPLICATION_JSON)
public class QosResource {

    @EJB
    QosService qos;

    @GET
    @Path("status")
    public Response status() {
        return Response.ok(StatusJson.of(qos.status()).build()).build();
    }
}
