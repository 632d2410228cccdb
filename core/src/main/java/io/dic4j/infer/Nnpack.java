package io.dic4j.infer;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * Keeps libtorch from asking for NNPACK where NNPACK cannot run. libtorch 2.7 asks at every convolution and, where
 * NNPACK finds the hardware unsupported (as its CPU probe sees it: some VMs, sandboxes and emulators), logs "Could not
 * initialize NNPACK! Reason: Unsupported hardware." each time, about a hundred lines for one face. libtorch's own
 * switch, {@code at::globalContext().setUserEnabledNNPACK(false)} (what {@code torch.backends.nnpack.set_flags(False)}
 * flips), stops the asking; it is flipped only where NNPACK itself says it cannot initialise, so no kernel choice
 * changes where NNPACK works, and no output is filtered. DJL has no binding for the switch, so it is called through
 * JNA by libtorch_cpu's symbols (Itanium C++ ABI names: Linux and macOS); where they are not found, libtorch is left
 * as it is. The CLI calls it before every command that runs a network, the Spark job once per executor.
 */
public final class Nnpack {

    private static final String INITIALIZE = "nnp_initialize";
    private static final int STATUS_SUCCESS = 0;
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_USER_ENABLED_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

    private Nnpack() {}

    /** Starts the engine, then turns NNPACK off if it cannot initialise here. */
    public static void offWhereUnsupported() {
        Engine.getEngine(PtEngine.ENGINE_NAME);
        try {
            NativeLibrary torch = NativeLibrary.getInstance(
                    Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu")).toString());
            if (torch.getFunction(INITIALIZE).invokeInt(new Object[0]) != STATUS_SUCCESS) {
                Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
                torch.getFunction(SET_USER_ENABLED_NNPACK).invokeVoid(new Object[] {context, false});
            }
        } catch (UnsatisfiedLinkError e) {
            // another libtorch build or platform: NNPACK keeps its default, and libtorch may log its warning
        }
    }
}
