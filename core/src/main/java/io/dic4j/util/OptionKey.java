package io.dic4j.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One key of an option section, declared once for reading and writing: its name, how a {@link JsonSection} reads it
 * (so every section gives JsonSection's errors), and the record component written back.
 * The kinds below make required keys; {@link #withDefault}, {@link #optional()} and {@link #optional(Object)} make
 * keys that a file may leave out.
 *
 * @param <R> the record the section is read into
 * @param <T> the key's value
 */
public final class OptionKey<R, T> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final BiFunction<JsonSection, String, T> reader;
    private final Function<R, T> getter;
    private final Function<T, JsonNode> encoder;
    /** A value not written (so that it reads back as the absent key's), besides null, which never is; or null. */
    private final T omitted;

    private OptionKey(String name, BiFunction<JsonSection, String, T> reader, Function<R, T> getter,
            Function<T, JsonNode> encoder, T omitted) {
        this.name = name;
        this.reader = reader;
        this.getter = getter;
        this.encoder = encoder;
        this.omitted = omitted;
    }

    /**
     * A key of its own kind.
     *
     * @param reader reads the key from a section, given its name, marking it read
     * @param encoder the key's value as the file gives it
     */
    public static <R, T> OptionKey<R, T> of(String name, BiFunction<JsonSection, String, T> reader,
            Function<T, JsonNode> encoder, Function<R, T> getter) {
        return new OptionKey<>(name, reader, getter, encoder, null);
    }

    /** A whole number. */
    public static <R> OptionKey<R, Integer> integer(String name, Function<R, Integer> getter) {
        return of(name, JsonSection::integer, IntNode::valueOf, getter);
    }

    /** A number. */
    public static <R> OptionKey<R, Double> number(String name, Function<R, Double> getter) {
        return of(name, JsonSection::number, DoubleNode::valueOf, getter);
    }

    /** {@code true} or {@code false}. */
    public static <R> OptionKey<R, Boolean> bool(String name, Function<R, Boolean> getter) {
        return of(name, JsonSection::bool, BooleanNode::valueOf, getter);
    }

    /** A string. */
    public static <R> OptionKey<R, String> text(String name, Function<R, String> getter) {
        return of(name, JsonSection::text, TextNode::valueOf, getter);
    }

    /** A file or folder, as a string. */
    public static <R> OptionKey<R, Path> path(String name, Function<R, Path> getter) {
        return of(name, JsonSection::path, p -> TextNode.valueOf(p.toString()), getter);
    }

    /** A list of whole numbers. */
    public static <R> OptionKey<R, List<Integer>> integers(String name, Function<R, List<Integer>> getter) {
        return of(name, JsonSection::integers, JSON::valueToTree, getter);
    }

    /** A list of {@code count} numbers. */
    public static <R> OptionKey<R, List<Double>> numbers(String name, int count, Function<R, List<Double>> getter) {
        return of(name, (s, k) -> Arrays.stream(s.numbers(k, count)).boxed().toList(), JSON::valueToTree, getter);
    }

    /**
     * An optional choice among {@code values}, written as {@code key} gives it; an absent key reads as
     * {@code absent} and is not written.
     */
    public static <R, E> OptionKey<R, E> choice(String name, List<E> values, Function<E, String> key, E absent,
            Function<R, E> getter) {
        return new OptionKey<>(name, (s, k) -> s.choice(k, values, key, absent), getter,
                v -> TextNode.valueOf(key.apply(v)), absent);
    }

    /**
     * A setting dic4j has no alternative to, which a file may leave out: where given, it must be {@code value}
     * ({@link JsonSection#expect(String, String)}). Always written, {@code value} being the only one.
     */
    public static <R> OptionKey<R, String> fixed(String name, String value) {
        return of(name, (s, k) -> {
            s.expect(k, value);
            return value;
        }, TextNode::valueOf, r -> value);
    }

    /** A setting dic4j has no alternative to, which a file must give all the same. */
    public static <R> OptionKey<R, String> requiredFixed(String name, String value) {
        return of(name, (s, k) -> {
            s.expect(k, value);
            s.text(k);
            return value;
        }, TextNode::valueOf, r -> value);
    }

    /**
     * An object, read by {@code reader} from its own section (which then fails on any key it did not read) and written
     * by {@code keys}.
     */
    public static <R, T> OptionKey<R, T> section(String name, List<OptionKey<T, ?>> keys,
            Function<JsonSection, T> reader, Function<R, T> getter) {
        return of(name, (s, k) -> {
            JsonSection section = s.section(k);
            T value = reader.apply(section);
            section.finish();
            return value;
        }, value -> writeAll(keys, value, JsonNodeFactory.instance.objectNode()), getter);
    }

    /** This key, which a file may leave out: it then reads as {@code value}, which is written like any other. */
    public OptionKey<R, T> withDefault(T value) {
        return new OptionKey<>(name, (s, k) -> s.optional(k, reader, value), getter, encoder, omitted);
    }

    /** This key, which a file may leave out: it then reads as {@code absent}, which is not written either. */
    public OptionKey<R, T> optional(T absent) {
        return new OptionKey<>(name, (s, k) -> s.optional(k, reader, absent), getter, encoder, absent);
    }

    /** This key, which a file may leave out: it then reads as null, which is not written either. */
    public OptionKey<R, T> optional() {
        return optional(null);
    }

    /** This key under another name. */
    public OptionKey<R, T> renamed(String newName) {
        return new OptionKey<>(newName, reader, getter, encoder, omitted);
    }

    public String name() {
        return name;
    }

    /** The key's value in {@code section}, marked read; JsonSection's error where it is missing or mistyped. */
    public T read(JsonSection section) {
        return reader.apply(section, name);
    }

    /** Writes {@code record}'s value under the key, unless it is null or the value this key leaves out. */
    public void write(R record, ObjectNode node) {
        T value = getter.apply(record);
        if (value != null && !value.equals(omitted)) {
            node.set(name, encoder.apply(value));
        }
    }

    /** Writes every key of {@code keys}, in order, into {@code node}, and gives it back. */
    public static <R> ObjectNode writeAll(List<OptionKey<R, ?>> keys, R record, ObjectNode node) {
        keys.forEach(k -> k.write(record, node));
        return node;
    }
}
