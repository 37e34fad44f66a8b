package dev.multimax.device.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.check.OpCheck;
import dev.multimax.check.OpSample;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.kernels.KernelBuild;
import dev.multimax.device.kernels.PrebuiltKernels;
import dev.multimax.device.opencl.BindContext;
import dev.multimax.device.opencl.Binders;
import dev.multimax.device.opencl.KernelArgs;
import dev.multimax.device.opencl.KernelBackend;
import dev.multimax.device.opencl.Launch;
import dev.multimax.device.opencl.NdRange;
import dev.multimax.device.opencl.Scratch;
import dev.multimax.device.opencl.Tuning;
import dev.multimax.graph.Task;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.Presets;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a cuda:N device would launch, without a GPU: every op's check cases and the default and
 * DeiT-tiny presets' training steps are bound with the GPU tuning through a backend that does what
 * {@link CudaDevice#launch} does short of the driver: it loads the build's shipped PTX, checks the
 * entry and the marshalled parameter types ({@link PtxModule}), fits the block to 1,024 threads and
 * computes grid and block. Every launch must pass, cover its work, and stay within CUDA's limits.
 */
class CudaLaunchPlanTest {
    private static final DeviceInfo GPU = new DeviceInfo("cuda:0", "CUDA", "test", "a GPU", "GPU", 100, 1L << 34, 48 << 10,
            1024, "sm_80", true, true, "");

    /** CudaDevice.launch without the driver. */
    private static final class PlanningBackend implements KernelBackend {
        final List<Launch> launches = new ArrayList<>();
        int checked;

        @Override
        public DeviceInfo info() {
            return GPU;
        }

        @Override
        public Tuning tuning() {
            return Tuning.forType(GPU);
        }

        @Override
        public Launch launch(KernelBuild build, String kernelName, List<KernelArgs.Arg> args, int parameters, NdRange range,
                             long[] compileNanos) {
            String ptx = new String(PrebuiltKernels.file(build, PrebuiltKernels.PTX), StandardCharsets.UTF_8);
            new PtxModule(ptx).check(kernelName, args, build.stem());
            checked++;
            long[] local = range.fitLocal(1024);
            assertThat(local).as(kernelName + " block").isNotNull();
            Launch l = new Launch(kernelName, null, range.global(local), local);
            int[][] gb = PtxModule.gridAndBlock(l.global(), l.local());
            assertThat(gb[1][0] * gb[1][1] * gb[1][2]).as(kernelName + " threads per block").isBetween(1, 1024);
            for (int d = 0; d < range.work().length; d++) {
                assertThat((long) gb[0][d] * gb[1][d]).as(kernelName + " covers its work in dimension " + d)
                        .isGreaterThanOrEqualTo(range.work()[d]);
                assertThat(gb[0][d]).as(kernelName + " grid").isBetween(1, d == 0 ? Integer.MAX_VALUE : 65535);
            }
            launches.add(l);
            return l;
        }

        @Override
        public Scratch scratch(String name, long bytes) {
            return new Scratch(name, null, bytes);
        }

        @Override
        public void release(List<Launch> launches, List<Scratch> scratch) {
        }
    }

    private static void bind(PlanningBackend backend, KernelCall call) {
        Binders.forOp(call.op()).bind(new BindContext(backend, call), call);
    }

    @Test
    void everyLaunchOfEveryOpAndStepMatchesItsPtxEntry() {
        PlanningBackend backend = new PlanningBackend();
        for (OpSample s : OpCheck.samples(Arrays.asList(Op.values()), 3)) bind(backend, s.call(s.arrays()));
        for (String preset : List.of(Presets.DEFAULT, "deit-tiny")) {
            VitStep step = new VitStep(new VitModel(Presets.get(preset)), 2);
            for (Task t : step.trainGraph(OptimizerConfig.DEFAULT).tasks()) bind(backend, t.call());
        }
        System.out.println("CUDA launch plan: " + backend.checked + " launches checked against their PTX entries");
        assertThat(backend.checked).isGreaterThan(300);
    }

    @Test
    void aBinderAndKernelThatDisagreeFailByName() {
        String ptx = ".visible .entry gelu_fwd(\n.param .u64 a,\n.param .u32 b,\n.param .u64 c,\n.param .u32 d,\n.param .u32 e\n)";
        PtxModule m = new PtxModule(ptx);
        assertThat(m.entries()).containsKey("gelu_fwd");
        List<KernelArgs.Arg> args = new KernelArgs().i(1).f(2f).list();
        assertThatThrownBy(() -> m.check("gelu_fwd", args, "x.ptx")).hasMessageContaining("gelu_fwd in x.ptx takes [u64, u32, u64, u32, u32]")
                .hasMessageContaining("the binder passed [u32, f32]");
        assertThatThrownBy(() -> m.check("gelu_bwd", args, "x.ptx")).hasMessageContaining("no entry 'gelu_bwd' in x.ptx");
        assertThat(PtxModule.gridAndBlock(new long[] {256, 64}, new long[] {32, 8})).isDeepEqualTo(new int[][] {{8, 8, 1}, {32, 8, 1}});
        assertThatThrownBy(() -> PtxModule.gridAndBlock(new long[] {100}, new long[] {64})).hasMessageContaining("not a multiple");
    }
}
