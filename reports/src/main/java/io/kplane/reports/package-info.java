/** HTML and Markdown reports from HdrHistogram interval logs and JMH JSON, and run comparisons. */
package io.kplane.reports;
