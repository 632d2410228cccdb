package io.dic4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DicConfigTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheNetworksSectionOfAnOptionFileAndReportsTheRestAsIgnored() throws IOException {
        JsonNode file = JSON.readTree(Fixtures.path("dic_small_config.json").toFile());
        List<String> ignored = new ArrayList<>();
        assertEquals(Fixtures.SMALL, DicConfig.fromJson(file, ignored));
        assertTrue(ignored.containsAll(List.of("constructor", "weights", "grads")), ignored.toString());
    }

    @Test
    void roundTripsThroughJson() {
        assertEquals(DicConfig.PAPER, DicConfig.fromJson(DicConfig.PAPER.toJson(), new ArrayList<>()));
    }

    @Test
    void unknownMissingAndMistypedKeysAreNamedAsInEveryOptionSection() throws IOException {
        String base = DicConfig.PAPER.toJson().toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DicConfig.fromJson(
                JSON.readTree(base.replace("\"num_groups\"", "\"num_group\"")), new ArrayList<>()));
        assertEquals("missing key: networks.num_groups (a misspelling? found networks.num_group)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DicConfig.fromJson(
                JSON.readTree(base.replace("\"scale\":8", "\"scale\":8,\"num_stages\":2")), new ArrayList<>()));
        assertEquals("unknown key(s): networks.num_stages", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DicConfig.fromJson(
                JSON.readTree(base.replace(",\"scale\":8", "")), new ArrayList<>()));
        assertEquals("missing key: networks.scale", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DicConfig.fromJson(
                JSON.readTree(base.replace("\"num_steps\":4", "\"num_steps\":\"4\"")), new ArrayList<>()));
        assertEquals("networks.num_steps must be a whole number, got \"4\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DicConfig.fromJson(
                JSON.readTree(base.replace("\"DIC\"", "\"SRFBN\"")), new ArrayList<>()));
        assertEquals("networks.which_model must be \"DIC\" (the only one dic4j implements), got \"SRFBN\"",
                e.getMessage());
    }

    @Test
    void theScaleMayComeFromTheTopLevelAsInTheAuthorsFiles() throws IOException {
        ObjectNode file = JSON.createObjectNode().put("scale", 8);
        file.set("networks", DicConfig.PAPER.toJson().without("scale"));
        List<String> ignored = new ArrayList<>();
        assertEquals(DicConfig.PAPER, DicConfig.fromJson(file, ignored));
        assertEquals(List.of("scale"), ignored);
    }

    @Test
    void commentKeysAreAcceptedAndReported() throws IOException {
        String json = DicConfig.PAPER.toJson().put("_comment", "paper").toString();
        List<String> ignored = new ArrayList<>();
        DicConfig.fromJson(JSON.readTree(json), ignored);
        assertEquals(List.of("networks._comment"), ignored);
    }

    @Test
    void attentionIsDic4jsOptionalKeyWrittenOnlyForTheAblation() {
        assertTrue(!DicConfig.PAPER.toJson().has("attention"), "the authors' files stay as they are");
        DicConfig uniform = DicConfig.PAPER.withAttention(DicConfig.Attention.UNIFORM);
        assertEquals("uniform", uniform.toJson().get("attention").asText());
        assertEquals(uniform, DicConfig.fromJson(uniform.toJson(), new ArrayList<>()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DicConfig.fromJson(
                DicConfig.PAPER.toJson().put("attention", "eyes"), new ArrayList<>()));
        assertTrue(e.getMessage().contains("networks.attention must be \"landmarks\" or \"uniform\", got \"eyes\""),
                e.getMessage());
    }

    @Test
    void onlyScaleEightExists() {
        assertThrows(IllegalArgumentException.class, () -> new DicConfig(48, 4, 6, 256, 68, 7, false, 3, 3, 4));
    }
}
