package io.dic4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrefetcherTest {

    @Test
    void resultsComeInInputOrderAndWorkStaysBoundedAhead() throws InterruptedException {
        AtomicInteger started = new AtomicInteger();
        List<Integer> items = List.of(5, 1, 4, 2, 3);
        try (Prefetcher<Integer, String> p = new Prefetcher<>(items, i -> {
            started.incrementAndGet();
            return "#" + i;
        }, 2)) {
            Thread.sleep(100);
            assertEquals(2, started.get(), "only 'ahead' items start before the first is taken");
            List<String> out = new ArrayList<>();
            while (p.hasNext()) {
                out.add(p.next());
                assertTrue(started.get() <= out.size() + 2, "at most 2 ahead of the consumer");
            }
            assertEquals(List.of("#5", "#1", "#4", "#2", "#3"), out);
            assertFalse(p.hasNext());
            assertThrows(NoSuchElementException.class, p::next);
        }
    }

    @Test
    void aFailingMapIsReportedWithItsCause() {
        try (Prefetcher<Integer, Integer> p = new Prefetcher<>(List.of(1, 0), i -> 10 / i, 1)) {
            assertEquals(10, p.next());
            IllegalStateException e = assertThrows(IllegalStateException.class, p::next);
            assertTrue(e.getCause() instanceof ArithmeticException, e.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> new Prefetcher<>(List.of(1), i -> i, 0));
    }
}
