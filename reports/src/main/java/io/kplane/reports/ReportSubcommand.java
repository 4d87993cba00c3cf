package io.kplane.reports;

import io.kplane.cli.KplaneSubcommand;

/** Registers {@code kplane report} with the CLI. */
public final class ReportSubcommand implements KplaneSubcommand {

    @Override
    public Object command() {
        return new ReportCommand();
    }

    @Override
    public int order() {
        return 70;
    }
}
