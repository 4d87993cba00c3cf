package io.kplane.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the HTML report in real headless Chromium: the DOM must carry the expected titles
 * and every chart image must have decoded, and the screenshot must show drawn charts (non-blank
 * image regions with the series colours) where the DOM says the charts are.
 */
class ChromiumRenderTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String WINDOW = "1400,2600";

    @TempDir static Path tmp;
    static Path run;
    static String dom;

    @BeforeAll
    static void renderOnce() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium; .ci/run installs it)");
        run = SampleRun.write(tmp.resolve("run"), 1.0, 7);
        Report.write(run);
        dom = chromium("--dump-dom");
    }

    @Test
    void domHasTheTitlesAndEveryChartDecoded() {
        assertThat(dom).contains("kplane suite report", "Front page", "store: etcd v3 API puts vs etcd 3.4",
                "store put: latency by percentile (kplane vs etcd-3.4)",
                "store put: throughput over time (kplane vs etcd-3.4)", "JMH results", "not built yet", "Machine and JVM");
        Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(dom);
        Matcher rendered = Pattern.compile("data-charts-rendered=\"(\\d+)\"").matcher(dom);
        assertThat(charts.find()).as("the inline script ran").isTrue();
        assertThat(rendered.find()).isTrue();
        assertThat(Integer.parseInt(charts.group(1))).isEqualTo(2);
        assertThat(rendered.group(1)).isEqualTo(charts.group(1));
    }

    @Test
    void screenshotShowsDrawnChartsWhereTheDomPutsThem() throws Exception {
        Path png = tmp.resolve("shot.png");
        chromium("--screenshot=" + png);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(shot).as("chromium wrote a PNG").isNotNull();
        Matcher m = Pattern.compile("data-chart-boxes=\"([^\"]*)\"").matcher(dom);
        assertThat(m.find()).isTrue();
        int checked = 0;
        for (String box : m.group(1).split(";")) {
            String[] f = box.split(",");
            int x = Integer.parseInt(f[0]), y = Integer.parseInt(f[1]), w = Integer.parseInt(f[2]), h = Integer.parseInt(f[3]);
            assertThat(w).as("chart width on the page").isGreaterThan(300);
            if (y + h > shot.getHeight() || x + w > shot.getWidth()) {
                continue; // below the fold of the screenshot
            }
            Region r = Region.of(shot, x, y, w, h);
            assertThat(r.nonWhiteShare).as("chart at %s is not blank", box).isGreaterThan(0.02);
            assertThat(r.hasBlue && r.hasRed).as("both series (kplane blue, etcd red) are drawn in chart at %s", box).isTrue();
            checked++;
        }
        assertThat(checked).as("charts inside the screenshot").isGreaterThanOrEqualTo(1);

        // And outside any chart, far right of the page beside the title (above the front page's
        // full-width note and table), the screenshot is blank: the test can fail.
        Region margin = Region.of(shot, shot.getWidth() - 60, 0, 40, 140);
        assertThat(margin.nonWhiteShare).isLessThan(0.02);
    }

    /** Pixel statistics of a rectangle of the screenshot. */
    private record Region(double nonWhiteShare, boolean hasBlue, boolean hasRed) {
        static Region of(BufferedImage img, int x0, int y0, int w, int h) {
            long nonWhite = 0, all = 0;
            boolean blue = false, red = false;
            for (int y = y0; y < y0 + h; y++) {
                for (int x = x0; x < x0 + w; x++) {
                    int rgb = img.getRGB(x, y);
                    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                    all++;
                    if (r < 235 || g < 235 || b < 235) {
                        nonWhite++;
                    }
                    blue |= b > 150 && r < 80 && g > 90 && g < 150;  // #1f77b4
                    red |= r > 180 && g < 80 && b < 80;              // #d62728
                }
            }
            return new Region(all == 0 ? 0 : (double) nonWhite / all, blue, red);
        }
    }

    private static String chromium(String action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + WINDOW, action,
                run.resolve(RunFiles.HTML).toUri().toString()));
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Path err = Files.createTempFile(tmp, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s: " + Files.readString(err));
        }
        assertThat(p.exitValue()).as("chromium exit code; stderr: %s", Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
