package org.webims.gateway.it.browser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed JSON value with null-safe navigation: {@code result.get("stats").get("codec").asString()}. A missing key
 * or index gives a null value ({@link #isNull()}), so chains never throw until a conversion is asked for; a
 * conversion of the wrong kind throws {@link IllegalStateException} naming the value.
 */
public final class JsonLike {

    private static final JsonLike NULL = new JsonLike(null);

    private final Object value;

    private JsonLike(Object value) {
        this.value = value;
    }

    /** Wraps a value as {@link Json#parse} returns it (maps, lists, strings, numbers, booleans, null). */
    public static JsonLike of(Object value) {
        if (value instanceof JsonLike json) {
            return json;
        }
        return value == null ? NULL : new JsonLike(value);
    }

    public static JsonLike parse(String text) {
        return of(Json.parse(text));
    }

    /** The underlying Map / List / String / Long / Double / Boolean / null. */
    public Object raw() {
        return value;
    }

    public boolean isNull() {
        return value == null;
    }

    public boolean isMap() {
        return value instanceof Map;
    }

    public boolean isList() {
        return value instanceof List;
    }

    /** The member {@code key} of an object; null when absent or when this is no object. */
    public JsonLike get(String key) {
        return value instanceof Map<?, ?> map ? of(map.get(key)) : NULL;
    }

    /** Element {@code index} of an array; null when out of range or when this is no array. */
    public JsonLike get(int index) {
        return value instanceof List<?> list && index >= 0 && index < list.size() ? of(list.get(index)) : NULL;
    }

    public boolean has(String key) {
        return value instanceof Map<?, ?> map && map.containsKey(key);
    }

    /** Members of an object or elements of an array; 0 otherwise. */
    public int size() {
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        return value instanceof List<?> list ? list.size() : 0;
    }

    /** A string, or the text of a number or boolean. */
    public String asString() {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw wrongKind("a string");
    }

    /** A string (or the text of a number or boolean), or {@code fallback} when null. */
    public String asStringOr(String fallback) {
        return value == null ? fallback : asString();
    }

    /** The elements of an array; empty when null. */
    public List<JsonLike> asListOrEmpty() {
        return value == null ? List.of() : asList();
    }

    public long asLong() {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw wrongKind("a number");
    }

    public int asInt() {
        return Math.toIntExact(asLong());
    }

    public double asDouble() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongKind("a number");
    }

    public boolean asBoolean() {
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongKind("a boolean");
    }

    public List<JsonLike> asList() {
        if (value instanceof List<?> list) {
            List<JsonLike> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(of(item)));
            return Collections.unmodifiableList(out);
        }
        throw wrongKind("an array");
    }

    public Map<String, JsonLike> asMap() {
        if (value instanceof Map<?, ?> map) {
            Map<String, JsonLike> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
            return Collections.unmodifiableMap(out);
        }
        throw wrongKind("an object");
    }

    private IllegalStateException wrongKind(String wanted) {
        String text = toString();
        return new IllegalStateException("expected " + wanted + " but got "
                + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
    }

    /** JSON text. */
    @Override
    public String toString() {
        return Json.write(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonLike json && Objects.equals(value, json.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }
}
