/** JMH benchmarks and open-loop load rigs. */
package io.kplane.bench;
