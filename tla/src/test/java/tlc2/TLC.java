package tlc2;

/**
 * A stand-in for TLC's main class, used only by TlcRunnerTest to check how kplane invokes TLC
 * (class path, flags, module, config). It is NOT TLC and checks nothing.
 */
public final class TLC {
    public static void main(String[] args) {
        System.out.println("FAKE-TLC args: " + String.join(" ", args));
        String module = args[args.length - 1];
        System.exit(module.contains("Drift") ? 12 : 0);
    }
}
