package io.kaiwa.runtime.persistence;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vectors as the database keeps them: float32, little-endian, one after another. */
final class Vectors {
    private Vectors() {
    }

    static byte[] write(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] read(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
