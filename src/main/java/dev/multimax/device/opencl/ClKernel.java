package dev.multimax.device.opencl;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_QUEUED;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clGetEventProfilingInfo;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clWaitForEvents;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.KernelException;
import dev.multimax.device.KernelTime;
import dev.multimax.device.Op;
import java.util.Arrays;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/** A bound op on an {@link OpenClDevice}: its launches, enqueued in order on the device's queue. */
final class ClKernel implements CompiledKernel {
    private final OpenClDevice device;
    private final String taskName;
    private final Op op;
    private final Bound bound;
    private final BindContext owned;
    private final long compileNanos;
    private boolean released;

    ClKernel(OpenClDevice device, String taskName, Op op, Bound bound, BindContext owned) {
        this.device = device;
        this.taskName = taskName;
        this.op = op;
        this.bound = bound;
        this.owned = owned;
        this.compileNanos = owned.compileNanos();
    }

    @Override
    public String variant() {
        return bound.variant();
    }

    @Override
    public long compileNanos() {
        return compileNanos;
    }

    @Override
    public KernelTime launch(boolean timed) {
        if (released) throw new IllegalStateException(taskName + ": kernel was released");
        var launches = bound.launches();
        cl_event[] events = timed ? new cl_event[launches.size()] : null;
        for (int i = 0; i < launches.size(); i++) {
            Launch l = launches.get(i);
            if (timed) events[i] = new cl_event();
            try {
                clEnqueueNDRangeKernel(device.queue(), (org.jocl.cl_kernel) l.handle(), l.global().length, null, l.global(), l.local(), 0, null,
                        timed ? events[i] : null);
            } catch (CLException e) {
                if (timed) release(events, i);
                throw new KernelException(device.id(), taskName, op, "launching " + l.kernelName() + " (global "
                        + Arrays.toString(l.global()) + ", local " + Arrays.toString(l.local()) + ") failed with "
                        + CL.stringFor_errorCode(e.getStatus()), e);
            }
        }
        if (!timed) return KernelTime.NONE;
        try {
            clWaitForEvents(events.length, events);
            long run = 0;
            for (cl_event e : events) run += profile(e, CL_PROFILING_COMMAND_END) - profile(e, CL_PROFILING_COMMAND_START);
            long queuedToEnd = profile(events[events.length - 1], CL_PROFILING_COMMAND_END)
                    - profile(events[0], CL_PROFILING_COMMAND_QUEUED);
            return new KernelTime(run, queuedToEnd);
        } catch (CLException e) {
            throw new KernelException(device.id(), taskName, op, "running " + launches.stream().map(Launch::kernelName).toList()
                    + " failed with " + CL.stringFor_errorCode(e.getStatus()), e);
        } finally {
            release(events, events.length);
        }
    }

    private static long profile(cl_event e, int what) {
        long[] v = new long[1];
        clGetEventProfilingInfo(e, what, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static void release(cl_event[] events, int n) {
        for (int i = 0; i < n; i++) {
            if (events[i] != null) clReleaseEvent(events[i]);
        }
    }

    @Override
    public void release() {
        synchronized (device) {
            if (released) return;
            released = true;
            owned.releaseAll();
            device.forget(this);
        }
    }
}
