package org.webims.gateway.web.api.charging;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.webims.gateway.ejb.charging.ChargingRecord;
import org.webims.gateway.ejb.charging.ChargingRecords;
import org.webims.gateway.ejb.charging.ChargingService;
import org.webims.gateway.web.api.StatusJson;

/**
 * {@code /api/charging} (admin role). {@code GET records} lists the offline charging records, newest first, filtered
 * by {@code impu}, {@code from} and {@code to} (ISO-8601 instants, when the record was made), {@code state}
 * ({@code pending}, {@code delivered}, {@code rejected}) and {@code limit} (at most 1000, default 100).
 * {@code GET status} gives the charging mode, each Rf peer's watchdog state, the outbox's counters and the records per
 * state.
 */
@Path("charging")
@Produces(MediaType.APPLICATION_JSON)
public class ChargingResource {

    @EJB
    ChargingRecords records;

    @EJB
    ChargingService charging;

    @GET
    @Path("records")
    public Response records(@QueryParam("impu") String impu, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("state") String state, @QueryParam("limit") String limit) {
        Instant since;
        Instant until;
        ChargingRecord.State wanted;
        int max;
        try {
            since = instant("from", from);
            until = instant("to", to);
            wanted = state(state);
            max = limit == null ? 100 : Integer.parseInt(limit);
            if (max < 1 || max > ChargingRecords.MAX_LIST) {
                throw new IllegalArgumentException("limit must be between 1 and " + ChargingRecords.MAX_LIST);
            }
        } catch (NumberFormatException e) {
            return badRequest("limit must be a number");
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        List<ChargingRecord> found = records.list(blankToNull(impu), since, until, wanted, max);
        JsonArrayBuilder list = Json.createArrayBuilder();
        found.forEach(r -> list.add(view(r)));
        return Response.ok(Json.createObjectBuilder().add("records", list).build()).build();
    }

    @GET
    @Path("status")
    public Response status() {
        JsonObjectBuilder body = StatusJson.of(charging.status());
        JsonObjectBuilder counts = Json.createObjectBuilder();
        records.countByState().forEach((k, v) -> counts.add(k.toLowerCase(Locale.ROOT), v));
        body.add("records", counts);
        return Response.ok(body.build()).build();
    }

    private static JsonObjectBuilder view(ChargingRecord r) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("id", r.id())
                .add("sessionId", r.sessionId())
                .add("type", r.recordType())
                .add("number", r.recordNumber())
                .add("method", r.method())
                .add("role", r.role().toLowerCase(Locale.ROOT))
                .add("impu", r.impu())
                .add("eventAt", r.eventAt().toString())
                .add("createdAt", r.createdAt().toString())
                .add("state", r.state().toLowerCase(Locale.ROOT))
                .add("attempts", r.attempts());
        optional(o, "remote", r.remote());
        optional(o, "provider", r.provider());
        optional(o, "icid", r.icid());
        optional(o, "lastResult", r.lastResult());
        optional(o, "lastAttemptAt", r.lastAttemptAt() == null ? null : r.lastAttemptAt().toString());
        optional(o, "deliveredAt", r.deliveredAt() == null ? null : r.deliveredAt().toString());
        if (r.causeCode() != null) {
            o.add("causeCode", r.causeCode());
        }
        return o;
    }

    private static void optional(JsonObjectBuilder o, String key, String value) {
        if (value != null) {
            o.add(key, value);
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-12-03T10:15:30Z");
        }
    }

    private static ChargingRecord.State state(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ChargingRecord.State.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state must be pending, delivered or rejected");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Response badRequest(String why) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(Json.createObjectBuilder().add("error", why).build()).build();
    }
}
