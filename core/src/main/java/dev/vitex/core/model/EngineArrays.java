package dev.vitex.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Java arrays into engine arrays without leaving garbage outside the heap. DJL's
 * {@code manager.create(float[])} copies into a fresh direct ByteBuffer that the CPU tensor then
 * aliases; closing the tensor does not free that buffer, only a garbage collection does, so native
 * memory grows by every input created until the JVM's direct-memory cap (by default -Xmx) forces a
 * full GC — measured: 4.6 GB outside the heap in a 960-image run with -Xmx4g, enough for a cluster
 * manager to kill an executor. Here each thread copies into one reused direct buffer, the tensor is
 * cloned into libtorch-owned memory (freed when its scope closes), and the aliasing tensor is
 * closed at once, so the buffer can be reused by the next call.
 */
public final class EngineArrays {
    private static final int MIN_CAPACITY = 1 << 16;
    private static final ThreadLocal<ByteBuffer> STAGING = new ThreadLocal<>();

    private EngineArrays() {}

    /** A float32 array of {@code shape} holding {@code data}, owned by {@code scope}. */
    public static NDArray floats(NDManager scope, float[] data, Shape shape) {
        ByteBuffer b = staging(data.length * Float.BYTES);
        b.asFloatBuffer().put(data);
        return owned(scope, b, data.length * Float.BYTES, shape, DataType.FLOAT32);
    }

    /** An int64 array of {@code shape} holding {@code data}, owned by {@code scope}. */
    public static NDArray longs(NDManager scope, long[] data, Shape shape) {
        ByteBuffer b = staging(data.length * Long.BYTES);
        b.asLongBuffer().put(data);
        return owned(scope, b, data.length * Long.BYTES, shape, DataType.INT64);
    }

    private static NDArray owned(NDManager scope, ByteBuffer staging, int bytes, Shape shape, DataType type) {
        if (shape.size() * type.getNumOfBytes() != bytes) {
            throw new IllegalArgumentException(bytes / type.getNumOfBytes() + " values for shape " + shape);
        }
        ByteBuffer view = staging.duplicate().order(ByteOrder.nativeOrder());
        view.position(0).limit(bytes);
        NDArray alias = scope.create(view.slice().order(ByteOrder.nativeOrder()), shape, type);
        if (alias.getDevice().isGpu()) {
            return alias; // copied to the device by the engine already: nothing aliases the buffer
        }
        try (alias) {
            return alias.duplicate();
        }
    }

    private static ByteBuffer staging(int bytes) {
        ByteBuffer b = STAGING.get();
        if (b == null || b.capacity() < bytes) {
            // grows to the largest batch a thread creates, then stays: one buffer per task thread
            b = ByteBuffer.allocateDirect(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, bytes - 1)) << 1))
                    .order(ByteOrder.nativeOrder());
            STAGING.set(b);
        }
        b.clear();
        return b;
    }
}
