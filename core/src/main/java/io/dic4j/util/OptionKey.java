package io.dic4j.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One key of an option section, declared once for reading and writing: its name, how a {@link JsonSection} reads it
 * (so every section gives JsonSection's errors), and the record component written back.
 *
 * @param <R> the record the section is read into
 * @param <T> the key's value
 */
public final class OptionKey<R, T> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final BiFunction<JsonSection, String, T> reader;
    private final Function<R, T> getter;
    /** The value of an absent key, which is then not written either; null for a required key. */
    private final T absent;
    private final Function<T, Object> encoder;

    private OptionKey(String name, BiFunction<JsonSection, String, T> reader, Function<R, T> getter, T absent,
            Function<T, Object> encoder) {
        this.name = name;
        this.reader = reader;
        this.getter = getter;
        this.absent = absent;
        this.encoder = encoder;
    }

    /** A required whole number. */
    public static <R> OptionKey<R, Integer> integer(String name, Function<R, Integer> getter) {
        return new OptionKey<>(name, JsonSection::integer, getter, null, v -> v);
    }

    /** A required {@code true} or {@code false}. */
    public static <R> OptionKey<R, Boolean> bool(String name, Function<R, Boolean> getter) {
        return new OptionKey<>(name, JsonSection::bool, getter, null, v -> v);
    }

    /**
     * An optional choice among {@code values}, written as {@code key} gives it; an absent key reads as
     * {@code absent} and is not written.
     */
    public static <R, E> OptionKey<R, E> choice(String name, List<E> values, Function<E, String> key, E absent,
            Function<R, E> getter) {
        return new OptionKey<>(name, (s, k) -> s.choice(k, values, key, absent), getter, absent, key::apply);
    }

    public String name() {
        return name;
    }

    /** The key's value in {@code section}, marked read; JsonSection's error where it is missing or mistyped. */
    public T read(JsonSection section) {
        return reader.apply(section, name);
    }

    /** Writes {@code record}'s value under the key, unless it is an optional key's absent value. */
    public void write(R record, ObjectNode node) {
        T value = getter.apply(record);
        if (absent == null || !absent.equals(value)) {
            node.set(name, JSON.valueToTree(encoder.apply(value)));
        }
    }

    /** Writes every key of {@code keys}, in order. */
    public static <R> void writeAll(List<OptionKey<R, ?>> keys, R record, ObjectNode node) {
        keys.forEach(k -> k.write(record, node));
    }
}
