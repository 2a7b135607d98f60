package org.webims.gateway.ejb.policy;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.Limit;
import org.webims.gateway.ports.policy.Service;
import org.webims.gateway.ports.policy.Source;

/**
 * Policy entries as JSON, for the REST API and for storage (the same document): reading refuses any field the layer
 * does not have and any value of the wrong type, naming the field; values are then checked by {@link PolicyRules}.
 */
public final class PolicyJson {
    private PolicyJson() {
    }

    /** The entry a JSON body sets for a layer; {@link InvalidPolicy} naming the field at fault. */
    public static PolicyEntry read(JsonValue body, Layer layer) {
        if (body == null || body.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidPolicy("body", "the body must be a JSON object");
        }
        JsonObject o = body.asJsonObject();
        Set<String> allowed = PolicyRules.fieldsOf(layer);
        for (String field : o.keySet()) {
            if (!allowed.contains(field)) {
                throw new InvalidPolicy(field, field + " is not a field of a " + layer.label() + " policy (fields: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
        PolicyEntry entry = new PolicyEntry(services(o), strings(o, "barredDestinations"),
                strings(o, "allowedDestinations"), integer(o, "maxCalls"), integer(o, "maxCallSeconds"),
                bool(o, "barred"), strings(o, "origins"), integer(o, "maxRegistrations"), strings(o, "cidrs"),
                bool(o, "qos"), guestPool(o), strings(o, "guestDestinations"));
        PolicyRules.check(entry);
        if (entry.origins() == null) {
            return entry;
        }
        return new PolicyEntry(entry.services(), entry.barredDestinations(), entry.allowedDestinations(),
                entry.maxCalls(), entry.maxCallSeconds(), entry.barred(),
                entry.origins().stream().map(PolicyRules::origin).distinct().toList(), entry.maxRegistrations(),
                entry.cidrs(), entry.qos(), entry.guestPool(), entry.guestDestinations());
    }

    public static JsonObject write(PolicyEntry e) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        if (e.services() != null) {
            JsonArrayBuilder services = Json.createArrayBuilder();
            EnumSet.allOf(Service.class).stream().filter(e.services()::contains).forEach(s -> services.add(s.token()));
            b.add("services", services);
        }
        add(b, "barredDestinations", e.barredDestinations());
        add(b, "allowedDestinations", e.allowedDestinations());
        add(b, "maxCalls", e.maxCalls());
        add(b, "maxCallSeconds", e.maxCallSeconds());
        if (e.barred() != null) {
            b.add("barred", e.barred());
        }
        add(b, "origins", e.origins());
        add(b, "maxRegistrations", e.maxRegistrations());
        add(b, "cidrs", e.cidrs());
        if (e.qos() != null) {
            b.add("qos", e.qos());
        }
        if (e.guestPool() != null) {
            b.add("guestPool", Json.createObjectBuilder().add("pattern", e.guestPool().pattern())
                    .add("size", e.guestPool().size()).add("quarantineSeconds", e.guestPool().quarantineSeconds()));
        }
        add(b, "guestDestinations", e.guestDestinations());
        return b.build();
    }

    /** The entry with its key, as the API shows it: {@code "impu"}, {@code "id"} or {@code "name"} first. */
    public static JsonObject withKey(PolicyKey key, PolicyEntry entry) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        switch (key.layer()) {
            case SUBSCRIBER -> b.add("impu", key.key());
            case PROVIDER -> b.add("id", key.key());
            case NETWORK -> b.add("name", key.key());
            default -> { }
        }
        write(entry).forEach(b::add);
        return b.build();
    }

    /** The combined policy with, for each part, the layer that set it. */
    public static JsonObject effective(EffectivePolicy p) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        nullable(b, "impu", p.subject().impu());
        nullable(b, "origin", p.subject().origin());
        nullable(b, "address", p.subject().address());
        nullable(b, "provider", p.provider());
        nullable(b, "network", p.network());
        JsonObjectBuilder barred = Json.createObjectBuilder().add("value", p.barred() != null);
        if (p.barred() != null) {
            source(barred, p.barred());
        }
        b.add("barred", barred);
        JsonObjectBuilder services = Json.createObjectBuilder();
        for (Service service : Service.values()) {
            JsonObjectBuilder s = Json.createObjectBuilder().add("allowed", p.allows(service));
            p.deniedBy(service).ifPresent(source -> source(s, source));
            services.add(service.token(), s);
        }
        b.add("services", services);
        JsonArrayBuilder barredTo = Json.createArrayBuilder();
        p.barredDestinations().forEach(d -> barredTo.add(source(Json.createObjectBuilder().add("prefix", d.prefix()),
                d.source())));
        b.add("barredDestinations", barredTo);
        JsonArrayBuilder allowedTo = Json.createArrayBuilder();
        p.allowedDestinations().forEach(a -> allowedTo.add(source(Json.createObjectBuilder()
                .add("prefixes", Json.createArrayBuilder(a.prefixes())), a.source())));
        b.add("allowedDestinations", allowedTo);
        limit(b, "maxCalls", p.maxCalls());
        limit(b, "maxCallSeconds", p.maxCallSeconds());
        limit(b, "providerMaxCalls", p.providerMaxCalls());
        limit(b, "providerMaxRegistrations", p.providerMaxRegistrations());
        JsonObjectBuilder qos = Json.createObjectBuilder().add("value", p.qos());
        if (p.network() != null) {
            qos.add("layer", "network").add("name", p.network());
        }
        b.add("qos", qos);
        return b.build();
    }

    private static JsonObjectBuilder source(JsonObjectBuilder b, Source source) {
        return b.add("layer", source.layer().name().toLowerCase(Locale.ROOT)).add("name", source.name());
    }

    private static void limit(JsonObjectBuilder b, String field, Limit limit) {
        if (limit == null) {
            b.addNull(field);
        } else {
            b.add(field, source(Json.createObjectBuilder().add("value", limit.value()), limit.source()));
        }
    }

    private static void nullable(JsonObjectBuilder b, String field, String value) {
        if (value == null) {
            b.addNull(field);
        } else {
            b.add(field, value);
        }
    }

    private static void add(JsonObjectBuilder b, String field, List<String> values) {
        if (values != null) {
            b.add(field, Json.createArrayBuilder(values));
        }
    }

    private static void add(JsonObjectBuilder b, String field, Integer value) {
        if (value != null) {
            b.add(field, value);
        }
    }

    private static Set<Service> services(JsonObject o) {
        List<String> tokens = strings(o, "services");
        if (tokens == null) {
            return null;
        }
        Set<Service> services = EnumSet.noneOf(Service.class);
        for (String token : tokens) {
            services.add(Service.fromToken(token).orElseThrow(() -> new InvalidPolicy("services",
                    "services: '" + token + "' is not one of audio, video, messaging")));
        }
        return services;
    }

    /** {@code {"pattern": "sip:wguest-{n}@…", "size": 100, "quarantineSeconds": 60}} (quarantine optional, 60). */
    private static GuestPool guestPool(JsonObject o) {
        JsonValue value = o.get("guestPool");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidPolicy("guestPool", "guestPool must be an object {pattern, size, quarantineSeconds}");
        }
        JsonObject pool = value.asJsonObject();
        for (String key : pool.keySet()) {
            if (!java.util.Set.of("pattern", "size", "quarantineSeconds").contains(key)) {
                throw new InvalidPolicy("guestPool", "guestPool." + key + " is not a field of a guest pool "
                        + "(pattern, size, quarantineSeconds)");
            }
        }
        JsonValue pattern = pool.get("pattern");
        if (pattern == null || pattern.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidPolicy("guestPool", "guestPool.pattern must be a string");
        }
        Integer size = integer(pool, "size", "guestPool");
        Integer quarantine = integer(pool, "quarantineSeconds", "guestPool");
        return new GuestPool(((JsonString) pattern).getString().trim(), size == null ? 0 : size,
                quarantine == null ? 60 : quarantine);
    }

    private static List<String> strings(JsonObject o, String field) {
        JsonValue value = o.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidPolicy(field, field + " must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonValue item : (JsonArray) value) {
            if (item.getValueType() != JsonValue.ValueType.STRING) {
                throw new InvalidPolicy(field, field + " must be an array of strings");
            }
            strings.add(((JsonString) item).getString().trim());
        }
        return strings;
    }

    private static Integer integer(JsonObject o, String field) {
        return integer(o, field, field);
    }

    /** A whole number of {@code o}, refused naming {@code reported} (the top-level field it belongs to). */
    private static Integer integer(JsonObject o, String field, String reported) {
        JsonValue value = o.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        String name = reported.equals(field) ? field : reported + "." + field;
        if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()
                || ((JsonNumber) value).bigIntegerValue().bitLength() > 31) {
            throw new InvalidPolicy(reported, name + " must be a whole number from 0 to " + PolicyRules.MAX_NUMBER);
        }
        return ((JsonNumber) value).intValue();
    }

    private static Boolean bool(JsonObject o, String field) {
        JsonValue value = o.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.TRUE && value.getValueType() != JsonValue.ValueType.FALSE) {
            throw new InvalidPolicy(field, field + " must be true or false");
        }
        return value.getValueType() == JsonValue.ValueType.TRUE;
    }
}
