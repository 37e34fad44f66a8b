package dev.multimax.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.Devices;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code multimax devices}: every device with id, platform, name, type, compute units, global and
 * local memory, max work-group size, OpenCL C version, fp64/fp16; and why OpenCL devices are missing.
 */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List the devices task graphs can run on.")
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        var list = Devices.list();
        String noOpenCl = Devices.openClUnavailableReason();
        String noCuda = Devices.cudaUnavailableReason();
        if (json) {
            JsonArray arr = new JsonArray();
            for (DeviceInfo d : list) {
                JsonObject o = new JsonObject();
                o.addProperty("id", d.id());
                o.addProperty("backend", d.backend());
                o.addProperty("platform", d.platform());
                o.addProperty("name", d.name());
                o.addProperty("type", d.type());
                o.addProperty("compute_units", d.computeUnits());
                o.addProperty("global_memory_bytes", d.globalMemoryBytes());
                o.addProperty("local_memory_bytes", d.localMemoryBytes());
                o.addProperty("max_work_group_size", d.maxWorkGroupSize());
                o.addProperty("opencl_c_version", d.languageVersion());
                o.addProperty("fp64", d.fp64());
                o.addProperty("fp16", d.fp16());
                o.addProperty("details", d.details());
                arr.add(o);
            }
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(arr));
            // stdout stays a plain array of devices; the note goes where people, not parsers, look
            if (!noOpenCl.isEmpty()) System.err.println("opencl: " + noOpenCl);
            if (!noCuda.isEmpty()) System.err.println("cuda: " + noCuda);
            return 0;
        }
        for (DeviceInfo d : list) {
            System.out.printf("%s  %s  %s%n", d.id(), d.type(), d.name());
            System.out.printf("    platform:        %s%n", d.platform());
            System.out.printf("    compute units:   %d%n", d.computeUnits());
            System.out.printf("    global memory:   %.1f GiB%n", d.globalMemoryBytes() / (double) (1L << 30));
            if (d.backend().equals("OPENCL")) {
                System.out.printf("    local memory:    %d KiB%n", d.localMemoryBytes() >> 10);
                System.out.printf("    max work-group:  %d%n", d.maxWorkGroupSize());
                System.out.printf("    OpenCL C:        %s%n", d.languageVersion());
                if (dev.multimax.device.opencl.OpenClDevice.takesSpirv(d.id())) {
                    System.out.printf("    also as:         %s/spirv (programs from the shipped SPIR-V modules)%n", d.id());
                }
            } else if (d.backend().equals("CUDA")) {
                System.out.printf("    shared memory:   %d KiB per block%n", d.localMemoryBytes() >> 10);
                System.out.printf("    max block:       %d threads%n", d.maxWorkGroupSize());
                System.out.printf("    architecture:    %s%n", d.languageVersion());
            }
            System.out.printf("    fp64 / fp16:     %s / %s%n", d.fp64() ? "yes" : "no", d.fp16() ? "yes" : "no");
            System.out.printf("    details:         %s%n", d.details());
        }
        if (!noOpenCl.isEmpty()) System.out.println("opencl: " + noOpenCl);
        if (!noCuda.isEmpty()) System.out.println("cuda: " + noCuda);
        return 0;
    }
}
