package dev.multimax.device;

/** A kernel that cannot be built or run on a device: names the task, the kernel, the device and why. */
public class KernelException extends RuntimeException {
    public KernelException(String deviceId, String taskName, Op op, String reason, Throwable cause) {
        super("device " + deviceId + ", task " + taskName + ", kernel " + op.family() + "/" + op.kernelName()
                + ": " + reason, cause);
    }

    /** For failures not tied to one task (a program build through the OpenCL program cache). */
    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
