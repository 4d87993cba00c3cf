package io.kplane.server;

import java.nio.file.Path;

/** The built-in {@code log} application: an {@link AppendOnlyLog}, no client endpoint. */
public final class LogApplication implements StoreApplication {
    @Override
    public String name() {
        return "log";
    }

    @Override
    public int order() {
        return 1000; // only the default when nothing else is built
    }

    @Override
    public StateMachine createStateMachine(Path dataDir) {
        return new AppendOnlyLog();
    }
}
