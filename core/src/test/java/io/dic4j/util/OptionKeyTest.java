package io.dic4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key table reads a section and writes it back the same, left-out keys included. */
class OptionKeyTest {

    static final ObjectMapper JSON = new ObjectMapper();

    record Inner(double weight) {}

    record Sample(String kind, int workers, Path list, double foreground, Inner inner) {}

    static final OptionKey<Inner, Double> WEIGHT = OptionKey.number("weight", Inner::weight);
    static final OptionKey<Sample, String> KIND = OptionKey.fixed("kind", "img");
    static final OptionKey<Sample, Integer> WORKERS = OptionKey.integer("workers", Sample::workers).withDefault(2);
    static final OptionKey<Sample, Path> LIST = OptionKey.path("list", Sample::list).optional();
    static final OptionKey<Sample, Double> FOREGROUND =
            OptionKey.number("foreground", Sample::foreground).optional(1.0);
    static final OptionKey<Sample, Inner> INNER =
            OptionKey.section("inner", List.of(WEIGHT), s -> new Inner(WEIGHT.read(s)), Sample::inner).optional();
    static final List<OptionKey<Sample, ?>> KEYS = List.of(KIND, WORKERS, LIST, FOREGROUND, INNER);

    static Sample read(String json) throws IOException {
        JsonSection s = new JsonSection(JSON.readTree(json), "top.", new ArrayList<>());
        Sample sample = new Sample(KIND.read(s), WORKERS.read(s), LIST.read(s), FOREGROUND.read(s), INNER.read(s));
        s.finish();
        return sample;
    }

    static String write(Sample sample) {
        return OptionKey.writeAll(KEYS, sample, JsonNodeFactory.instance.objectNode()).toString();
    }

    @Test
    void defaultsAreWrittenWhereLeftOutKeysAtTheirAbsentValueAreNot() throws IOException {
        Sample empty = read("{\"list\": null, \"inner\": null}");
        assertEquals(new Sample("img", 2, null, 1.0, null), empty);
        assertEquals("{\"kind\":\"img\",\"workers\":2}", write(empty));
        Sample full = read("{\"workers\": 3, \"list\": \"a.txt\", \"foreground\": 4, \"inner\": {\"weight\": 0.5}}");
        assertEquals(new Sample("img", 3, Path.of("a.txt"), 4.0, new Inner(0.5)), full);
        assertEquals(full, read(write(full)));
    }

    @Test
    void aSectionFailsOnItsUnknownKeysAndFixedValuesAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("{\"inner\": {\"weight\": 1, \"wieght\": 2}}"));
        assertEquals("unknown key(s): top.inner.wieght", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("{\"kind\": \"npy\"}"));
        assertEquals("top.kind must be \"img\" (the only one dic4j implements), got \"npy\"", e.getMessage());
        OptionKey<Sample, String> required = OptionKey.requiredFixed("kind", "img");
        e = assertThrows(IllegalArgumentException.class,
                () -> required.read(new JsonSection(JSON.createObjectNode(), "top.", new ArrayList<>())));
        assertEquals("missing key: top.kind", e.getMessage());
        ObjectNode renamed = JsonNodeFactory.instance.objectNode();
        WORKERS.renamed("workers_G").write(new Sample("img", 5, null, 1.0, null), renamed);
        assertEquals("{\"workers_G\":5}", renamed.toString());
        assertNull(LIST.read(new JsonSection(JSON.createObjectNode(), "", new ArrayList<>())));
    }
}
