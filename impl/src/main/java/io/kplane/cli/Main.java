package io.kplane.cli;

import java.util.Comparator;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code kplane} command: the root command plus every discovered subcommand. */
@Command(
        name = "kplane",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A lean Kubernetes control-plane core, built to be measured and model-checked.",
        synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The root command with all subcommands found on the class path, in their declared order. */
    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new Main());
        ServiceLoader.load(KplaneSubcommand.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(KplaneSubcommand::order))
                .forEach(sub -> root.addSubcommand(sub.command()));
        return root;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reads the version Maven wrote into the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kplane " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
