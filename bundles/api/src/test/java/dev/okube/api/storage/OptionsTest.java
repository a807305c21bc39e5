package dev.okube.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The small value types of the storage SPI: what backends rely on without checking again. */
class OptionsTest {
    @Test
    void prefixAndEndExcludeEachOther() {
        RangeOptions prefix = RangeOptions.builder().withEnd("/b").withPrefix(true).build();
        assertTrue(prefix.isPrefix());
        assertTrue(prefix.end().isEmpty());
        RangeOptions range = RangeOptions.builder().withPrefix(true).withEnd("/b").build();
        assertFalse(range.isPrefix());
        assertEquals("/b", range.end().orElseThrow());
    }

    @Test
    void negativeLimitsAndRevisionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RangeOptions.builder().withLimit(-1));
        assertThrows(IllegalArgumentException.class, () -> RangeOptions.builder().withRevision(-1));
        assertThrows(IllegalArgumentException.class, () -> WatchOptions.builder().withAfterRevision(-1));
    }

    @Test
    void defaultsReadOneKeyAtTheCurrentRevisionAndWatchFromNow() {
        assertEquals(0, RangeOptions.DEFAULT.limit());
        assertEquals(0, RangeOptions.DEFAULT.revision());
        assertFalse(RangeOptions.DEFAULT.isPrefix());
        assertEquals(0, WatchOptions.DEFAULT.afterRevision());
        assertFalse(WatchOptions.DEFAULT.isProgressNotify());
    }

    @Test
    void watchEventsKnowTheirRevisionAndWhetherTheyCreated() {
        KeyValue created = new KeyValue("/k", new byte[0], 5, 5, 1, 0);
        KeyValue updated = new KeyValue("/k", new byte[0], 5, 7, 2, 0);
        assertTrue(new WatchEvent(WatchEvent.Type.PUT, created, null).isCreate());
        assertFalse(new WatchEvent(WatchEvent.Type.PUT, updated, created).isCreate());
        assertEquals(7, new WatchEvent(WatchEvent.Type.PUT, updated, created).revision());
    }

    @Test
    void rangeResultsAndConflictsCarryWhatCallersNeed() {
        List<KeyValue> kvs = new java.util.ArrayList<>(List.of(new KeyValue("/a", new byte[0], 1, 1, 1, 0)));
        RangeResult result = new RangeResult(kvs, false, 1, 3);
        kvs.clear();
        assertEquals(1, result.kvs().size(), "the result keeps its own copy");
        KeyValue current = new KeyValue("/a", new byte[0], 1, 4, 2, 0);
        StorageException.Conflict conflict = new StorageException.Conflict("/a", current);
        assertEquals(4, conflict.current().orElseThrow().modRevision());
        assertEquals(10, new StorageException.Compacted(3, 10).compactRevision());
    }
}
