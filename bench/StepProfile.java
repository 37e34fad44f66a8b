import dev.multimax.graph.*;
import dev.multimax.model.*;
import java.util.*;
public class StepProfile {
  public static void main(String[] a) {
    VitModel m = new VitModel(Presets.get("mnist-vit")); m.initialize(1);
    VitStep s = new VitStep(m, 128);
    Random r = new Random(1);
    for (int i=0;i<s.images().length();i++) s.images().host()[i]=(float)r.nextGaussian();
    s.valid().host()[0]=128; s.schedule().host()[0]=1e-4f;
    try (ExecutionPlan p = new ExecutionPlan(s.trainGraph(OptimizerConfig.DEFAULT)).withProfiler(ProfilerMode.SILENT)) {
      GraphProfile last=null;
      for (int it=1; it<=Integer.parseInt(a[0]); it++) { s.schedule().host()[1]=it; last=p.execute().profile().get();
        System.out.printf("it %d: %.1f ms%n", it, last.graphNanos()/1e6); }
      last.tasks().stream().filter(t->t.family().equals("matmul")).sorted((x,y)->Long.compare(y.kernelNanos(),x.kernelNanos())).limit(12)
        .forEach(t->System.out.printf("%-45s %8.2f ms%n", t.id(), t.kernelNanos()/1e6));
    }
  }
}
