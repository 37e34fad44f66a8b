package dev.multimax.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.Devices;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code multimax devices}: every device with id, name, type, compute units, memory. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List the devices task graphs can run on.")
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        var list = Devices.list();
        if (json) {
            JsonArray arr = new JsonArray();
            for (DeviceInfo d : list) {
                JsonObject o = new JsonObject();
                o.addProperty("id", d.id());
                o.addProperty("backend", d.backend());
                o.addProperty("name", d.name());
                o.addProperty("type", d.type());
                o.addProperty("compute_units", d.computeUnits());
                o.addProperty("global_memory_bytes", d.globalMemoryBytes());
                o.addProperty("details", d.details());
                arr.add(o);
            }
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(arr));
            return 0;
        }
        System.out.printf("%-12s %-7s %-5s %5s %10s  %s%n", "ID", "BACKEND", "TYPE", "UNITS", "MEMORY", "NAME / DETAILS");
        for (DeviceInfo d : list) {
            System.out.printf("%-12s %-7s %-5s %5d %7.1f GiB  %s; %s%n", d.id(), d.backend(), d.type(), d.computeUnits(),
                    d.globalMemoryBytes() / (double) (1L << 30), d.name(), d.details());
        }
        return 0;
    }
}
