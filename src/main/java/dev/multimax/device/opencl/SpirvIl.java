package dev.multimax.device.opencl;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.jocl.NativePointerObject;
import org.jocl.cl_context;
import org.jocl.cl_program;

/**
 * clCreateProgramWithIL, which JOCL 2.0.6 does not bind: the call goes through LWJGL's OpenCL
 * binding (chosen because it is on Maven Central, binds every OpenCL 2.1+ entry point and runs on
 * Java 17, where the final FFM API is not available), on the context JOCL created, and the program
 * handle it returns is handed back to JOCL, which builds it and makes kernels as for any program.
 * LWJGL is only loaded when a device asks for SPIR-V this way.
 */
final class SpirvIl {
    /** CL_DEVICE_IL_VERSION (OpenCL 2.1): e.g. "SPIR-V_1.0 SPIR-V_1.2"; empty or unsupported on older drivers. */
    static final int CL_DEVICE_IL_VERSION = 0x105B;

    private SpirvIl() {
    }

    /** A program object of {@code context} from the SPIR-V module {@code il}; throws naming the OpenCL error. */
    static cl_program create(cl_context context, byte[] il) {
        // LWJGL looks for the unversioned libOpenCL.so, which only the -dev package installs: name the loader's soname
        if (org.lwjgl.system.Configuration.OPENCL_LIBRARY_NAME.get() == null) {
            org.lwjgl.system.Configuration.OPENCL_LIBRARY_NAME.set("libOpenCL.so.1");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(il.length).put(il).flip();
        int[] status = new int[1];
        long handle = org.lwjgl.opencl.CL21.clCreateProgramWithIL(context.getNativePointer(), buffer, status);
        if (status[0] != 0 || handle == 0) {
            throw new IllegalStateException("clCreateProgramWithIL failed with " + org.jocl.CL.stringFor_errorCode(status[0]));
        }
        return wrap(handle);
    }

    /** A JOCL program object for a handle made elsewhere (JOCL has no public way to adopt one). */
    static cl_program wrap(long handle) {
        cl_program p = new cl_program();
        try {
            Field f = NativePointerObject.class.getDeclaredField("nativePointer");
            f.setAccessible(true);
            f.setLong(p, handle);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot hand an OpenCL program to JOCL: " + e, e);
        }
        return p;
    }
}
