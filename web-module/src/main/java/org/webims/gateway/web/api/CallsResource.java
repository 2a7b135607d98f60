package org.webims.gateway.web.api;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.webims.gateway.sip.call.CallView;
import org.webims.gateway.web.sip.SipRuntimeHost;

/**
 * {@code GET /api/calls}: live calls with both legs, state, codecs on each side and start time;
 * {@code GET /api/calls/timers}: the SIP runtime's pending timers ({@code pending}: the housekeeping ones and those of
 * live calls; it falls back when calls end).
 */
@Path("calls")
public class CallsResource {

    @Inject
    SipRuntimeHost host;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<CallView> list() {
        return host.runtime().calls();
    }

    @GET
    @Path("timers")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject timers() {
        return Json.createObjectBuilder().add("pending", host.pendingTimers()).build();
    }
}
