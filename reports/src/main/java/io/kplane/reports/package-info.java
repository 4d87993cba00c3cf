/**
 * HTML and Markdown reports from HdrHistogram interval logs and JMH JSON, and run comparisons.
 *
 * <p>The front page ({@link io.kplane.reports.SummaryTable}) sets each headline figure against the
 * project's goal for it and against the peer measured in the same run on the same machine; figures
 * published elsewhere are context only ({@link io.kplane.reports.Anchor.Kind}). When etcd was not
 * installed (as {@code env.json} records) it says so and how to install it. {@code kplane report
 * --benchmarks-md} writes {@code BENCHMARKS.md} from a run directory.
 */
package io.kplane.reports;
