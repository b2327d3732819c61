package dev.vitex.jobs.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator needs to know about the engine on this node: the libtorch that loaded and from
 * where, the variables that choose it, and the CUDA devices it sees.
 *
 * @param error why the engine did not load, or null
 */
public record EngineFacts(String version, String libtorchPath, String libraryPathVariable, String flavorVariable,
                          int gpuCount, List<String> devices, String error) {

    public static EngineFacts probe() {
        String libraryPath = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        String flavor = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
        try {
            Engine engine = Engine.getEngine("PyTorch");
            int gpus = engine.getGpuCount();
            List<String> devices = new ArrayList<>();
            devices.add(Device.cpu().toString());
            for (int i = 0; i < gpus; i++) {
                devices.add(Device.gpu(i).toString());
            }
            return new EngineFacts(engine.getVersion(), LibUtils.getLibtorchPath(), libraryPath, flavor, gpus,
                    List.copyOf(devices), null);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return new EngineFacts(null, null, libraryPath, flavor, 0, List.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Whether the loaded libtorch is a CUDA build that sees at least one GPU. */
    public boolean hasGpu() {
        return error == null && gpuCount > 0;
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("libtorch:   " + (error != null ? "did not load: " + error : version + " from " + libtorchPath));
        out.add("variables:  PYTORCH_LIBRARY_PATH=" + orUnset(libraryPathVariable) + "  PYTORCH_FLAVOR=" + orUnset(flavorVariable));
        out.add("devices:    " + (devices.isEmpty() ? "none" : String.join(", ", devices)) + " (" + gpuCount + " GPU(s) visible to libtorch)");
        return out;
    }

    private static String orUnset(String v) {
        return v == null || v.isBlank() ? "(unset)" : v;
    }
}
