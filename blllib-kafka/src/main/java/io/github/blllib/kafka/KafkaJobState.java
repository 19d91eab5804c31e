package io.github.blllib.kafka;

import java.util.List;

/**
 * A read-only snapshot of a {@link KafkaPipelineJob}, as an endpoint shows it.
 *
 * @param job the job's name
 * @param pipeline the pipeline's name
 * @param status where the job is in its life
 * @param partitions the assigned partitions, by topic and partition
 * @param uncommittedRecords records whose outputs were delivered and whose offsets are not yet
 * committed (outputs a crash would repeat without a transaction)
 * @param commits commits so far
 * @param rebalances rebalances that took partitions from the job (revoked or lost)
 * @param failure why the job failed, else null
 */
public record KafkaJobState(String job, String pipeline, Status status, List<PartitionProgress> partitions,
		long uncommittedRecords, long commits, long rebalances, String failure) {

	/** A job's life: created, started, stopped, or ended by a failure. */
	public enum Status {

		NEW, RUNNING, STOPPED, FAILED

	}

}
