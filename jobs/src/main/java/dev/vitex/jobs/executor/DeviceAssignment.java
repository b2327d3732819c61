package dev.vitex.jobs.executor;

import ai.djl.Device;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device a task runs its model on: the GPU Spark assigned to the task ({@code TaskContext}
 * resource {@code gpu}) when the engine sees GPUs, else the CPU.
 *
 * <p>Spark's address is the index the discovery script reported (usually nvidia-smi's index). In a
 * container or under YARN/Kubernetes isolation {@code CUDA_VISIBLE_DEVICES} may renumber the
 * visible devices: address "3" with {@code CUDA_VISIBLE_DEVICES=2,3} is CUDA device 1.
 *
 * @param device the device to use
 * @param sparkAddress the GPU address Spark assigned, or null
 * @param note why this device (goes to the log and the manifest)
 */
public record DeviceAssignment(Device device, String sparkAddress, String note) {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");

    public static DeviceAssignment forTask(TaskContext task, int engineGpus, String cudaVisibleDevices) {
        String[] addresses = new String[0];
        if (task != null) {
            Map<String, ResourceInformation> resources = task.resourcesJMap();
            ResourceInformation gpu = resources == null ? null : resources.get("gpu");
            if (gpu != null) {
                addresses = gpu.addresses();
            }
        }
        DeviceAssignment chosen = choose(addresses.length == 0 ? null : addresses[0], engineGpus, cudaVisibleDevices);
        if (addresses.length <= 1) {
            return chosen;
        }
        DeviceAssignment first = chosen.onlyFirstOf(addresses);
        LOG.warn("task {}: {}", task.taskAttemptId(), first.note());
        return first;
    }

    /**
     * A task given several GPUs (spark.task.resource.gpu.amount &gt; 1) runs one model on the first:
     * a task's batches run one after another, so a second GPU would idle. The note says so.
     */
    DeviceAssignment onlyFirstOf(String[] addresses) {
        return new DeviceAssignment(device, sparkAddress, note + "; the task was given GPUs " + String.join(",", addresses)
                + " and uses only the first (" + addresses[0] + "): give tasks 1 GPU or less");
    }

    public static DeviceAssignment choose(String address, int engineGpus, String cudaVisibleDevices) {
        if (address == null) {
            return new DeviceAssignment(Device.cpu(), null, engineGpus > 0
                    ? "no GPU assigned by Spark (set spark.task.resource.gpu.amount to use the " + engineGpus + " visible) → CPU"
                    : "no GPU assigned by Spark → CPU");
        }
        if (engineGpus <= 0) {
            return new DeviceAssignment(Device.cpu(), address,
                    "Spark assigned GPU " + address + " but the engine sees no GPU (CPU libtorch, or no CUDA driver) → CPU");
        }
        int index = cudaIndex(address, cudaVisibleDevices);
        if (index < 0 || index >= engineGpus) {
            return new DeviceAssignment(Device.cpu(), address, "Spark assigned GPU " + address
                    + " which is not among the " + engineGpus + " GPUs the engine sees (CUDA_VISIBLE_DEVICES="
                    + cudaVisibleDevices + ") → CPU");
        }
        return new DeviceAssignment(Device.gpu(index), address, "Spark assigned GPU " + address + " → " + Device.gpu(index)
                + (cudaVisibleDevices == null || cudaVisibleDevices.isBlank() ? "" : " (CUDA_VISIBLE_DEVICES=" + cudaVisibleDevices + ")"));
    }

    /** Spark's GPU address to a CUDA device index, through CUDA_VISIBLE_DEVICES when set. */
    static int cudaIndex(String address, String cudaVisibleDevices) {
        String a = address.trim();
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            List<String> visible = Arrays.stream(cudaVisibleDevices.split(",")).map(String::trim).toList();
            int pos = visible.indexOf(a);
            if (pos >= 0) {
                return pos;
            }
        }
        try {
            return Integer.parseInt(a);
        } catch (NumberFormatException e) {
            return -1; // a UUID not listed in CUDA_VISIBLE_DEVICES
        }
    }
}
