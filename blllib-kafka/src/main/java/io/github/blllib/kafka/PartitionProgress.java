package io.github.blllib.kafka;

/**
 * Where a job stands in one assigned partition.
 *
 * @param topic the topic
 * @param partition the partition
 * @param delivered the offset the job would commit for what the run has handed to the sink (the
 * sink may not have confirmed it yet); -1 before the first output
 * @param committed the last offset this job committed; -1 before its first commit
 */
public record PartitionProgress(String topic, int partition, long delivered, long committed) {
}
