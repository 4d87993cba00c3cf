package io.kplane.cli;

import io.kplane.client.KubeClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The API client of a component command, from its {@code --kubeconfig}, with the CLI's errors. */
final class KubeconfigClient {
    private KubeconfigClient() {
    }

    /** The client, or null after printing why there is none (the command then exits with 2). */
    static KubeClient open(Path kubeconfig, PrintWriter err) {
        if (!Files.isReadable(kubeconfig)) {
            err.println("error: cannot read kubeconfig " + kubeconfig);
            return null;
        }
        try {
            return KubeClient.fromKubeconfig(kubeconfig);
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
    }
}
