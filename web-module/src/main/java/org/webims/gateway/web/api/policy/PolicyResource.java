package org.webims.gateway.web.api.policy;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.StringReader;
import java.util.Locale;
import java.util.Map;
import org.webims.gateway.ejb.policy.Cidr;
import org.webims.gateway.ejb.policy.InvalidPolicy;
import org.webims.gateway.ejb.policy.PolicyChange;
import org.webims.gateway.ejb.policy.PolicyEntry;
import org.webims.gateway.ejb.policy.PolicyJson;
import org.webims.gateway.ejb.policy.PolicyKey;
import org.webims.gateway.ejb.policy.PolicyRules;
import org.webims.gateway.ejb.policy.PolicyStore;
import org.webims.gateway.ejb.waf.WafService;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.PolicySubject;

/**
 * {@code /api/policy} (admin role): the four layers of service policy (TS 22.228 §11.2), the effective policy of a
 * user, Origin and address with the layer behind each part, and the audit trail of changes. Changes apply to the
 * next request at once. Invalid input: 400 (409 for an Origin another provider has) with {@code error} and
 * {@code field}.
 */
@Path("policy")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {
    private static final int MAX_LIST = 1000;

    @EJB
    PolicyStore store;

    @EJB
    WafService waf;

    @Context
    SecurityContext security;

    @GET
    @Path("default")
    public Response getDefault() {
        return Response.ok(store.entry(PolicyKey.DEFAULT).map(PolicyJson::write).orElse(JsonValue.EMPTY_JSON_OBJECT))
                .build();
    }

    @PUT
    @Path("default")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response putDefault(String body) {
        return put(PolicyKey.DEFAULT, body);
    }

    @DELETE
    @Path("default")
    public Response deleteDefault() {
        return delete(PolicyKey.DEFAULT);
    }

    @GET
    @Path("{layer: subscribers|providers|networks}")
    public Response list(@PathParam("layer") String layer, @QueryParam("prefix") String prefix) {
        Layer which = layer(layer);
        JsonArrayBuilder entries = Json.createArrayBuilder();
        for (Map.Entry<String, PolicyEntry> e : store.list(which, prefix, MAX_LIST).entrySet()) {
            entries.add(PolicyJson.withKey(new PolicyKey(which, e.getKey()), e.getValue()));
        }
        return Response.ok(entries.build()).build();
    }

    @GET
    @Path("{layer: subscribers|providers|networks}/{key}")
    public Response get(@PathParam("layer") String layer, @PathParam("key") String key) {
        PolicyKey policyKey = key(layer, key);
        return store.entry(policyKey).map(e -> Response.ok(PolicyJson.withKey(policyKey, e)).build())
                .orElseGet(() -> notFound(policyKey));
    }

    @PUT
    @Path("{layer: subscribers|providers|networks}/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("layer") String layer, @PathParam("key") String key, String body) {
        return put(key(layer, key), body);
    }

    @DELETE
    @Path("{layer: subscribers|providers|networks}/{key}")
    public Response delete(@PathParam("layer") String layer, @PathParam("key") String key) {
        return delete(key(layer, key));
    }

    /** A new client secret for the provider's backend at {@code /waf/token}, shown once (only its hash is kept). */
    @jakarta.ws.rs.POST
    @Path("providers/{id}/credentials")
    public Response newCredentials(@PathParam("id") String id) {
        PolicyKey key = key("providers", id);
        return waf.newSecret(key.key(), who())
                .map(secret -> Response.status(Response.Status.CREATED).header("Cache-Control", "no-store")
                        .entity(Json.createObjectBuilder().add("clientId", key.key()).add("clientSecret", secret)
                                .build()).build())
                .orElseGet(() -> notFound(key));
    }

    @GET
    @Path("effective")
    public Response effective(@QueryParam("impu") String impu, @QueryParam("origin") String origin,
            @QueryParam("address") String address) {
        String clientAddress = blankToNull(address);
        if (clientAddress != null && Cidr.literal(clientAddress).isEmpty()) {
            throw new InvalidPolicy("address", "address must be an IPv4 or IPv6 address, not '" + address + "'");
        }
        PolicySubject subject = new PolicySubject(blankToNull(impu), blankToNull(origin), null, clientAddress);
        return Response.ok(PolicyJson.effective(store.effective(subject))).build();
    }

    @GET
    @Path("changes")
    public Response changes(@QueryParam("limit") String limit) {
        int count;
        try {
            count = limit == null || limit.isBlank() ? 100 : Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw new InvalidPolicy("limit", "limit must be a whole number from 1 to " + PolicyStore.MAX_CHANGES);
        }
        if (count < 1 || count > PolicyStore.MAX_CHANGES) {
            throw new InvalidPolicy("limit", "limit must be a whole number from 1 to " + PolicyStore.MAX_CHANGES);
        }
        JsonArrayBuilder changes = Json.createArrayBuilder();
        for (PolicyChange c : store.changes(count)) {
            changes.add(Json.createObjectBuilder().add("at", c.at().toString()).add("who", c.who())
                    .add("layer", c.layer().toLowerCase(Locale.ROOT)).add("key", c.entryKey())
                    .add("action", c.action()).add("before", document(c.before())).add("after", document(c.after())));
        }
        return Response.ok(changes.build()).build();
    }

    private Response put(PolicyKey key, String body) {
        JsonValue json;
        try {
            json = Json.createReader(new StringReader(body == null ? "" : body)).readValue();
        } catch (JsonParsingException | IllegalStateException e) {
            throw new InvalidPolicy("body", "the body is not JSON: " + e.getMessage());
        }
        PolicyEntry entry = PolicyJson.read(json, key.layer());
        boolean created = store.put(key, entry, who());
        JsonObject stored = PolicyJson.withKey(key, entry);
        return (created ? Response.status(Response.Status.CREATED) : Response.ok()).entity(stored).build();
    }

    private Response delete(PolicyKey key) {
        return store.delete(key, who()) ? Response.noContent().build() : notFound(key);
    }

    private String who() {
        return security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName();
    }

    private static PolicyKey key(String layer, String key) {
        Layer which = layer(layer);
        PolicyRules.checkKey(which, key);
        return new PolicyKey(which, key);
    }

    private static Layer layer(String plural) {
        return switch (plural) {
            case "subscribers" -> Layer.SUBSCRIBER;
            case "providers" -> Layer.PROVIDER;
            default -> Layer.NETWORK;
        };
    }

    private static Response notFound(PolicyKey key) {
        JsonObjectBuilder error = Json.createObjectBuilder().add("error", "no " + key.layer().label() + " policy for "
                + key.key());
        return Response.status(Response.Status.NOT_FOUND).entity(error.build()).build();
    }

    private static JsonValue document(String json) {
        return json == null ? JsonValue.NULL : Json.createReader(new StringReader(json)).readValue();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
