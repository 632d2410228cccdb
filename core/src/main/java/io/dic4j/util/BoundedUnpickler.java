package io.dic4j.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's unpickler, refusing a length field longer than the bytes left: Pyrolite allocates the length a
 * string, bytes or long opcode declares before reading it, so a few bytes could ask for gigabytes. Its input must
 * support mark and know what is left ({@code available()}): bytes in memory, or a buffered file. A pickle that nests
 * without end, or puts a list that holds itself into a set or a dict key (whose hash then recurses forever), is a
 * {@code PickleException}, not a {@code StackOverflowError}.
 */
public class BoundedUnpickler extends Unpickler {

    private static final short LONG4 = 0x8b;
    private static final short BINSTRING = 'T';
    private static final short BINUNICODE = 'X';
    private static final short BINBYTES = 'B';
    private static final short BINUNICODE8 = 0x8d;
    private static final short BINBYTES8 = 0x8e;
    private static final short BYTEARRAY8 = 0x96;

    @Override
    public Object load(InputStream stream) throws IOException {
        try {
            return super.load(stream);
        } catch (StackOverflowError e) {
            throw new PickleException("the pickle nests without end, or hashes a container that holds itself");
        }
    }

    @Override
    protected Object dispatch(short opcode) throws IOException {
        int lengthBytes = switch (opcode) {
            case LONG4, BINSTRING, BINUNICODE, BINBYTES -> 4;
            case BINUNICODE8, BINBYTES8, BYTEARRAY8 -> 8;
            default -> 0;
        };
        if (lengthBytes > 0) {
            input.mark(lengthBytes);
            byte[] field = input.readNBytes(lengthBytes);
            input.reset();
            ByteBuffer b = ByteBuffer.wrap(field).order(ByteOrder.LITTLE_ENDIAN);
            long length = field.length < lengthBytes ? 0 : lengthBytes == 4 ? b.getInt() & 0xffffffffL : b.getLong();
            if (length < 0 || length > input.available() - lengthBytes) {
                throw new PickleException("pickle opcode 0x" + Integer.toHexString(opcode) + " declares " + length
                        + " bytes, only " + Math.max(0, input.available() - lengthBytes) + " follow");
            }
        }
        return super.dispatch(opcode);
    }
}
