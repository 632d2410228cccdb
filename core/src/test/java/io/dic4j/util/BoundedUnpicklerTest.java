package io.dic4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import net.razorvine.pickle.PickleException;
import org.junit.jupiter.api.Test;

class BoundedUnpicklerTest {

    @Test
    void aLengthFieldLongerThanTheInputIsRefusedBeforeAllocating() {
        // PROTO 2, BINBYTES of 0x7fffffff bytes with 3 given, STOP: Pyrolite alone would allocate 2 GB first
        byte[] pickle = {(byte) 0x80, 2, 'B', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3, '.'};
        PickleException e = assertThrows(PickleException.class,
                () -> new BoundedUnpickler().load(new ByteArrayInputStream(pickle)));
        assertEquals("pickle opcode 0x42 declares 2147483647 bytes, only 4 follow", e.getMessage());
    }

    @Test
    void aListHashedWhileHoldingItselfIsAPickleException() {
        // found by AnnotationReadersFuzzTest#infoList: EMPTY_LIST, MARK, DUPs, an APPEND of a list into itself,
        // FROZENSET: the set hashes the list, whose hash recurses into itself
        byte[] pickle = {']', '(', '2', '2', ']', '2', '2', '2', '2', 'a', '2', '2', '2', (byte) 0x91};
        PickleException e = assertThrows(PickleException.class,
                () -> new BoundedUnpickler().load(new ByteArrayInputStream(pickle)));
        assertEquals("the pickle nests without end, or hashes a container that holds itself", e.getMessage());
    }

    @Test
    void lengthsThatFitAreRead() throws IOException {
        byte[] pickle = {(byte) 0x80, 3, 'B', 3, 0, 0, 0, 1, 2, 3, '.'};
        assertEquals(3, ((byte[]) new BoundedUnpickler().load(new ByteArrayInputStream(pickle))).length);
    }
}
