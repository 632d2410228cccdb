package io.dic4j.util;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One object of an option file, read strictly: every key must be read, declared ignored, or it is an error that
 * names it; a missing or mistyped key is an error that names its full path ({@code solver.val_freq}).
 * Numbers written as {@code 1e4} are accepted where integers are expected when they are whole.
 */
public final class JsonSection {

    private final JsonNode node;
    private final String path;
    private final List<String> ignored;
    private final Set<String> seen = new LinkedHashSet<>();

    /**
     * @param path the section's path with a trailing dot ({@code "solver."}), empty for the root
     * @param ignored receives the full paths of keys accepted but meaning nothing here
     */
    public JsonSection(JsonNode node, String path, List<String> ignored) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException((path.isEmpty() ? "the option file" : strip(path)) + " must be a JSON object");
        }
        this.node = node;
        this.path = path;
        this.ignored = ignored;
    }

    private static String strip(String path) {
        return path.substring(0, path.length() - 1);
    }

    public boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** The raw value (null when absent), marked read. */
    public JsonNode raw(String key) {
        seen.add(key);
        return node.get(key);
    }

    private JsonNode required(String key) {
        JsonNode v = raw(key);
        if (v == null || v.isNull()) {
            List<String> near = new ArrayList<>();
            node.fieldNames().forEachRemaining(k -> {
                if (!seen.contains(k) && distance(k, key) <= 2) {
                    near.add(path + k);
                }
            });
            throw new IllegalArgumentException("missing key: " + path + key
                    + (near.isEmpty() ? "" : " (a misspelling? found " + String.join(", ", near) + ")"));
        }
        return v;
    }

    /** Levenshtein distance, for naming a misspelt key. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private IllegalArgumentException wrong(String key, String what, JsonNode v) {
        return new IllegalArgumentException(path + key + " must be " + what + ", got " + v);
    }

    public JsonSection section(String key) {
        return new JsonSection(required(key), path + key + ".", ignored);
    }

    public String text(String key) {
        JsonNode v = required(key);
        if (!v.isTextual()) {
            throw wrong(key, "a string", v);
        }
        return v.asText();
    }

    /** The string, or null when the key is absent or null. */
    public String optionalText(String key) {
        return optional(key, JsonSection::text, null);
    }

    public Path path(String key) {
        return Path.of(text(key));
    }

    /** The path, or null when the key is absent or null. */
    public Path optionalPath(String key) {
        return optional(key, JsonSection::path, null);
    }

    /** What {@code read} makes of the key, or {@code absent} when the key is absent or null; marked read either way. */
    public <T> T optional(String key, BiFunction<JsonSection, String, T> read, T absent) {
        return has(key) ? read.apply(this, key) : orDefault(key, absent);
    }

    /** Marks an absent (or null) key read and gives its default. */
    private <T> T orDefault(String key, T absent) {
        seen.add(key);
        return absent;
    }

    public double number(String key) {
        JsonNode v = required(key);
        if (!v.isNumber()) {
            throw wrong(key, "a number", v);
        }
        return v.asDouble();
    }

    public int integer(String key) {
        return toInt(key, required(key));
    }

    private int toInt(String key, JsonNode v) {
        if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble()) || Math.abs(v.asDouble()) > Integer.MAX_VALUE) {
            throw wrong(key, "a whole number", v);
        }
        return (int) v.asDouble();
    }

    public boolean bool(String key) {
        JsonNode v = required(key);
        if (!v.isBoolean()) {
            throw wrong(key, "true or false", v);
        }
        return v.booleanValue();
    }

    public List<Integer> integers(String key) {
        JsonNode v = required(key);
        if (!v.isArray()) {
            throw wrong(key, "a list of whole numbers", v);
        }
        List<Integer> out = new ArrayList<>();
        v.forEach(e -> out.add(toInt(key, e)));
        return out;
    }

    public double[] numbers(String key, int count) {
        JsonNode v = required(key);
        if (!v.isArray() || v.size() != count) {
            throw wrong(key, "a list of " + count + " numbers", v);
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            if (!v.get(i).isNumber()) {
                throw wrong(key, "a list of " + count + " numbers", v);
            }
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    /**
     * One of {@code values}, named in the file as {@code key} gives it, or {@code absent} when the key is absent or
     * null.
     */
    public <E> E choice(String key, List<E> values, Function<E, String> name, E absent) {
        if (!has(key)) {
            return orDefault(key, absent);
        }
        JsonNode v = raw(key);
        for (E e : values) {
            if (v.isTextual() && name.apply(e).equals(v.asText())) {
                return e;
            }
        }
        List<String> names = values.stream().map(e -> "\"" + name.apply(e) + "\"").toList();
        String last = names.get(names.size() - 1);
        String choices = names.size() == 1 ? last
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last;
        throw wrong(key, choices, v);
    }

    /** Requires the key, when present, to hold this value (a setting dic4j has no alternative to). */
    public void expect(String key, String expected) {
        if (has(key) && !raw(key).asText().equalsIgnoreCase(expected)) {
            throw wrong(key, "\"" + expected + "\" (the only one dic4j implements)", raw(key));
        }
        seen.add(key);
    }

    /** Requires the key, when present, to hold this number. */
    public void expect(String key, double expected) {
        if (has(key) && number(key) != expected) {
            throw wrong(key, String.valueOf(expected), raw(key));
        }
        seen.add(key);
    }

    /** Accepts these keys, reporting those present as ignored. */
    public void ignore(String... keys) {
        for (String k : keys) {
            if (node.has(k) && seen.add(k)) {
                ignored.add(path + k);
            }
        }
    }

    /** Fails on every key neither read nor ignored. */
    public void finish() {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!seen.contains(k)) {
                unknown.add(path + k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s): " + String.join(", ", unknown));
        }
    }
}
