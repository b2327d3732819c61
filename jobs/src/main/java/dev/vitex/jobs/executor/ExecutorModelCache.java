package dev.vitex.jobs.executor;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.BatchGate;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.Precision;
import dev.vitex.core.model.VitModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link VitModel} per JVM, model, precision and device, loaded lazily by the first task that needs it and
 * shared by every task thread of the JVM (concurrent forwards and backwards on one TorchScript block
 * are safe, see djl-spark-notes.md). Models stay loaded for the JVM's life: executors are reused
 * across tasks and stages, and a model is small next to what reloading it would cost.
 */
public final class ExecutorModelCache {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private static final Map<Key, VitModel> MODELS = new ConcurrentHashMap<>();
    private static volatile boolean engineReady;

    private static final Map<String, Explainer> EXPLAINERS = new ConcurrentHashMap<>();

    private record Key(String modelSha256, String cardLocation, Precision precision, String device, int concurrentBatches) {}

    private ExecutorModelCache() {}

    /**
     * Sets libtorch's thread pools before the engine starts (they cannot change afterwards): intra-op
     * threads = {@code threads} (the task's CPUs), inter-op = {@code interop}, and offline loading.
     * Explicit {@code -Dai.djl.pytorch.*} flags on the JVM win.
     */
    public static synchronized Engine engine(int threads, int interop) {
        if (!engineReady) {
            System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
            if (System.getProperty("ai.djl.pytorch.num_threads") == null && threads > 0) {
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            }
            if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null && interop > 0) {
                System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(interop));
            }
            Engine engine = Engine.getEngine("PyTorch");
            engineReady = true;
            LOG.info("libtorch {} ready: {} intra-op thread(s), {} inter-op, {} GPU(s) visible", engine.getVersion(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    System.getProperty("ai.djl.pytorch.num_interop_threads", "default"), engine.getGpuCount());
            return engine;
        }
        return Engine.getEngine("PyTorch");
    }

    /**
     * The model for {@code ref} on {@code device}, loading it on first use. On a GPU its batches pass
     * through a gate of {@code gpuConcurrentBatches} (tasks sharing the GPU take turns); on the CPU
     * they do not wait. (A run with another limit in the same JVM gets its own copy of the model.)
     */
    public static VitModel get(ModelRef ref, Device device, int gpuConcurrentBatches, Map<String, String> hadoopConf,
                               Path cacheDir) {
        boolean gpu = device.isGpu();
        Key key = new Key(ref.modelSha256(), ref.location(), ref.precision(), device.toString(), gpu ? gpuConcurrentBatches : 0);
        return MODELS.computeIfAbsent(key, k -> {
            long t0 = System.nanoTime();
            ModelCard card = ref.load(hadoopConf, cacheDir);
            VitModel model = VitModel.load(card, device, gpu ? BatchGate.of(gpuConcurrentBatches) : BatchGate.UNLIMITED,
                    ref.precision());
            LOG.info("model {} ({}) loaded on {} in {} ms, {}", card.name(), ref.precision().configName(), device,
                    (System.nanoTime() - t0) / 1_000_000, model.gate());
            return model;
        });
    }

    /**
     * The explainer for a method and its parameters, built once per JVM and shared by its task
     * threads: construction can be costly (IntegratedGradients' high-precision Gauss–Legendre nodes
     * take seconds), and explainers hold only their validated settings (no per-call state).
     */
    public static Explainer explainer(String method, Map<String, String> params, ModelCard card, String modelSha256) {
        String key = method + '\u0001' + new TreeMap<>(params) + '\u0001' + card.cardPath() + '\u0001' + modelSha256;
        return EXPLAINERS.computeIfAbsent(key, k -> Methods.create(method, params, card));
    }

    /**
     * Forgets the model for {@code ref} on {@code device} after its device broke, so the next task
     * loads it again. It is not closed: other task threads may still hold it (they fail on the same
     * device), and a broken CUDA context cannot free its memory anyway.
     */
    public static void evict(ModelRef ref, Device device) {
        boolean evicted = MODELS.keySet().removeIf(k -> k.modelSha256().equals(ref.modelSha256())
                && k.cardLocation().equals(ref.location()) && k.device().equals(device.toString()));
        if (evicted) {
            LOG.warn("model {} evicted from {} after a device failure", ref.location(), device);
        }
    }

    /** Closes and forgets every model (tests, or a driver that loaded one only to check it). */
    public static synchronized void clear() {
        MODELS.values().forEach(VitModel::close);
        MODELS.clear();
        EXPLAINERS.clear();
    }

    static int size() {
        return MODELS.size();
    }
}
