package io.github.blllib.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;

import io.github.blllib.kafka.JobRun.Delivered;
import io.github.blllib.kafka.JobRun.Exhausted;
import io.github.blllib.kafka.JobRun.Output;
import io.github.blllib.kafka.JobRun.Skipped;

/**
 * The poll thread of a {@link KafkaPipelineJob}: the only thread that touches the consumer, and
 * the one that sends outputs, publishes dead letters and commits, so that the bookkeeping of
 * records, positions and offsets has a single owner and needs no lock.
 *
 * <p>Each turn: poll (paused partitions give nothing, but polling keeps the member alive), hand
 * the records to the run, send what the run delivered, commit up to the position whose outputs
 * the sink has all confirmed (asynchronously, one commit at a time; synchronously when a run
 * ends), and pause every partition while the run's read-ahead is full or the sink or the commits
 * lag too far behind (see {@link #mustPause()}). The run's reads, its outputs, the sink's
 * confirmations and the commits' completions wake the poll thread out of its poll.
 */
final class PollLoop implements Runnable, ConsumerRebalanceListener {

	private static final System.Logger logger = System.getLogger(PollLoop.class.getName());

	/** The header naming the stage that skipped a dead letter's item. */
	static final String DLT_STAGE = "blllib_dlt-stage";

	/** The header giving the skipped item's index in that stage's input. */
	static final String DLT_STAGE_INDEX = "blllib_dlt-stage-index";

	/** How many read-aheads of delivered records may wait for their commit, one commit being in flight. */
	static final int UNCOMMITTED_READ_AHEADS = 4;

	private final KafkaPipelineJob job;

	private final JobProgress progress;

	private final Consumer<Object, Object> consumer;

	private final PollWakeup wakeup;

	/** Outputs sent and not yet confirmed, in order, with the position each confirms. */
	private final ArrayDeque<Sent> sent = new ArrayDeque<>();

	/** What a rebalance kept out of its transaction, which was aborted: delivered again first. */
	private final List<Delivered> refusedInTransaction = new ArrayList<>();

	private JobRun run;

	private int runs;

	/** The run's position after the last output sent. */
	private long deliveredPosition;

	/** The run's position after the last output confirmed, with all before it. */
	private long confirmedPosition;

	private long committedPosition;

	/** The number of the last commit started. */
	private long commitsStarted;

	/** The number of the last commit that succeeded, whose offsets are the group's. */
	private long lastCommitted;

	/** The number of the asynchronous commit in flight, 0 when none is. */
	private long asyncCommit;

	/** Whether the polls since {@link #quietSince} brought no record, no partition paused. */
	private boolean quiet;

	/** When the first of those polls started (System.nanoTime()). */
	private long quietSince;

	private volatile boolean stopping;

	/** Set before the consumer closes, which revokes every partition: that is no rebalance. */
	private boolean leaving;

	PollLoop(KafkaPipelineJob job, JobProgress progress, Consumer<Object, Object> consumer) {
		this.job = job;
		this.progress = progress;
		this.consumer = consumer;
		this.wakeup = new PollWakeup(consumer);
	}

	void stop() {
		this.stopping = true;
		this.wakeup.wake();
	}

	@Override
	public void run() {
		try {
			if (this.job.transactional()) {
				fencePreviousProducer();
			}
			this.consumer.subscribe(this.job.topics(), this);
			while (!this.stopping) {
				turn();
			}
			endRun(true);
			this.job.ended(null);
		}
		catch (SinkFailure ex) {
			fail(ex.getCause(), false);
		}
		catch (RunFailure ex) {
			fail(ex.getCause(), true);
		}
		catch (RuntimeException | Error ex) {
			fail(ex, true);
		}
		finally {
			this.leaving = true;
			this.consumer.close();
		}
	}

	/**
	 * Opens the transactional producer before the consumer asks for its committed offsets: that
	 * fences a crashed predecessor with the same transactional id and aborts its open transaction,
	 * whose pending offsets would otherwise hold the offset fetch until the transaction times out.
	 */
	private void fencePreviousProducer() {
		((OutputSink.Topic) this.job.sink()).template().executeInTransaction((operations) -> null);
	}

	private void fail(Throwable failure, boolean flush) {
		logger.log(System.Logger.Level.ERROR, "Kafka job '" + this.job.name() + "' failed", failure);
		try {
			endRun(flush);
		}
		catch (RuntimeException | Error ex) {
			failure.addSuppressed(ex);
		}
		this.job.ended(failure);
	}

	private void turn() {
		boolean paused = !this.consumer.paused().isEmpty();
		long pollStart = System.nanoTime();
		List<ConsumerRecord<Object, Object>> records = this.wakeup.poll(this.job.pollTimeout(), this::workWaiting);
		if (this.run == null && !records.isEmpty()) {
			startRun();
		}
		if (this.run == null) {
			this.consumer.resume(this.consumer.paused());
			return;
		}
		for (ConsumerRecord<Object, Object> record : records) {
			this.run.records().add(record);
			this.run.input().add(record.value());
		}
		finishInputIfIdle(!records.isEmpty() || paused, pollStart);
		boolean runEnded = this.run.isFinished();
		deliver();
		commitConfirmed(false);
		pauseOrResume();
		if (runEnded) {
			if (this.run.failure() != null) {
				throw new RunFailure(this.run.failure());
			}
			awaitSent();
			if (this.committedPosition < this.confirmedPosition || !this.refusedInTransaction.isEmpty()) {
				return; // a rebalance refused the commit: the next turns retry it before the run goes
			}
			readAgain(this.run, List.of());
			this.run = null;
		}
	}

	/**
	 * Pauses every partition while the run's read-ahead is full, while as many delivered records
	 * wait for the sink's confirmation, or while {@link #UNCOMMITTED_READ_AHEADS} times as many
	 * wait for their commit; resumes them otherwise.
	 */
	private void pauseOrResume() {
		if (mustPause()) {
			this.consumer.pause(this.consumer.assignment());
		}
		else {
			this.consumer.resume(this.consumer.paused());
		}
	}

	private boolean mustPause() {
		return this.run.input().size() >= this.job.readAhead()
				|| this.deliveredPosition - this.confirmedPosition >= this.job.readAhead()
				|| this.deliveredPosition - this.committedPosition >= UNCOMMITTED_READ_AHEADS * this.job.readAhead();
	}

	/**
	 * Whether the run handed outputs over to send, the sink confirmed some to commit, or the
	 * partitions are paused though the run read its read-ahead down.
	 */
	private boolean workWaiting() {
		return this.run != null && (!this.run.outbound().isEmpty()
				|| (!this.sent.isEmpty() && this.sent.peek().confirmation().isDone())
				|| (!this.consumer.paused().isEmpty() && !mustPause()));
	}

	/**
	 * Finishes the run's input once the topics idle: polls of partitions not paused brought no
	 * record for the idle timeout, and the consumer knows of no record left to fetch. The run
	 * then hands over everything it holds, which gets committed. Time the poll thread spends
	 * elsewhere (sending, committing, or starved of CPU) between busy polls does not count.
	 */
	private void finishInputIfIdle(boolean busy, long pollStart) {
		if (busy) {
			this.quiet = false;
			return;
		}
		if (!this.quiet) {
			this.quiet = true;
			this.quietSince = pollStart;
		}
		if (System.nanoTime() - this.quietSince >= this.job.idleTimeout().toNanos()
				&& !this.run.input().isFinished()
				&& this.consumer.assignment().stream().allMatch(this::caughtUp)) {
			this.run.input().finish();
		}
	}

	private boolean caughtUp(TopicPartition partition) {
		OptionalLong lag = this.consumer.currentLag(partition);
		return lag.isEmpty() || lag.getAsLong() == 0;
	}

	/** Sends what the run delivered; in a transaction, commits it with its offsets. */
	private void deliver() {
		List<Delivered> delivered = new ArrayList<>(this.refusedInTransaction);
		this.refusedInTransaction.clear();
		for (Delivered item; (item = this.run.outbound().poll()) != null;) {
			delivered.add(item);
		}
		if (delivered.isEmpty()) {
			return;
		}
		long position = this.deliveredPosition;
		for (Delivered item : delivered) {
			position = Math.max(position, positionAfter(item));
		}
		if (this.job.transactional()) {
			if (!commitInTransaction(delivered, position)) {
				return;
			}
		}
		else {
			for (Delivered item : delivered) {
				this.deliveredPosition = Math.max(this.deliveredPosition, positionAfter(item));
				CompletableFuture<?> confirmation = send(item);
				confirmation.whenComplete((result, failure) -> this.wakeup.wake());
				this.sent.add(new Sent(confirmation, this.deliveredPosition));
			}
		}
		this.progress.delivered(this.run.records().offsetsAt(position));
		this.progress.uncommitted.set(this.deliveredPosition - this.committedPosition);
	}

	/** The run's position once {@code item} is delivered. */
	private long positionAfter(Delivered item) {
		if (item instanceof Output output) {
			return output.position();
		}
		return (item instanceof Exhausted exhausted) ? exhausted.position() : this.deliveredPosition;
	}

	private CompletableFuture<?> send(Delivered item) {
		try {
			if (item instanceof Output output) {
				return this.job.sink().send(this.run.records().get(output.origin()).key(), output.value());
			}
			if (item instanceof Skipped skipped) {
				publishDeadLetter(skipped);
			}
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			throw new SinkFailure(ex);
		}
	}

	/**
	 * Sends {@code delivered} and commits the offsets up to {@code position} in one transaction;
	 * false when the group refused the offsets while it rebalances (cooperatively: the member
	 * polls on, with a generation the group is leaving): the transaction is aborted and
	 * {@code delivered} is sent again at a later turn, once a poll has completed the rebalance.
	 */
	private boolean commitInTransaction(List<Delivered> delivered, long position) {
		OutputSink.Topic topic = (OutputSink.Topic) this.job.sink();
		Map<TopicPartition, OffsetAndMetadata> offsets = this.run.records().offsetsAt(position);
		try {
			topic.template().executeInTransaction((operations) -> {
				for (Delivered item : delivered) {
					if (item instanceof Output output) {
						topic.send(operations, this.run.records().get(output.origin()).key(), output.value());
					}
					else if (item instanceof Skipped skipped) {
						publishDeadLetter(skipped);
					}
				}
				if (!offsets.isEmpty()) {
					operations.sendOffsetsToTransaction(offsets, this.consumer.groupMetadata());
				}
				return null;
			});
		}
		catch (RuntimeException ex) {
			if (!refusedByRebalance(ex)) {
				throw new SinkFailure(ex);
			}
			this.refusedInTransaction.addAll(delivered);
			return false;
		}
		this.deliveredPosition = position;
		this.confirmedPosition = position;
		committed(offsets, position);
		return true;
	}

	private static boolean refusedByRebalance(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof CommitFailedException || cause instanceof RebalanceInProgressException) {
				return true;
			}
		}
		return false;
	}

	private void publishDeadLetter(Skipped skipped) {
		ConsumerRecord<?, ?> record = this.run.records().get(skipped.origin());
		if (this.job.deadLetterPublisher() == null) {
			logger.log(System.Logger.Level.WARNING, "Kafka job '" + this.job.name() + "': stage '"
					+ skipped.item().stage() + "' skipped the record at " + record.topic() + "-" + record.partition()
					+ "@" + record.offset() + " (no dead-letter template to publish it): "
					+ skipped.item().failureDescription());
			return;
		}
		RecordHeaders headers = new RecordHeaders(record.headers().toArray());
		headers.add(DLT_STAGE, skipped.item().stage().getBytes(StandardCharsets.UTF_8));
		headers.add(DLT_STAGE_INDEX,
				Long.toString(skipped.item().index()).getBytes(StandardCharsets.UTF_8));
		// the recoverer names the group only for a listener container's exception
		headers.add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP,
				this.consumer.groupMetadata().groupId().getBytes(StandardCharsets.UTF_8));
		ConsumerRecord<?, ?> marked = new ConsumerRecord<>(record.topic(), record.partition(), record.offset(),
				record.timestamp(), record.timestampType(), record.serializedKeySize(), record.serializedValueSize(),
				record.key(), record.value(), headers, record.leaderEpoch());
		Throwable failure = skipped.item().failure();
		Exception exception = (failure instanceof Exception ex) ? ex : new IllegalStateException(failure);
		this.job.deadLetterPublisher().accept(marked, this.consumer, exception);
	}

	/**
	 * Commits up to the position whose outputs the sink confirmed, all before it included: with
	 * {@code sync}, at once; else asynchronously, one commit at a time (the poll thread goes on
	 * polling and sending meanwhile, and the commit's completion wakes it).
	 */
	private void commitConfirmed(boolean sync) {
		while (!this.sent.isEmpty() && this.sent.peek().confirmation().isDone()) {
			Sent confirmed = this.sent.poll();
			if (confirmed.confirmation().isCompletedExceptionally()) {
				commitIfAhead(true);
				throw new SinkFailure(causeOf(confirmed.confirmation()));
			}
			this.confirmedPosition = Math.max(this.confirmedPosition, confirmed.position());
		}
		commitIfAhead(sync);
	}

	/**
	 * Commits up to the confirmed position. While a cooperative rebalance is under way the
	 * consumer refuses, and the commit waits for a later turn, after a poll completed the
	 * rebalance (revoked partitions are committed in the callback, which may commit).
	 */
	private void commitIfAhead(boolean sync) {
		if (this.confirmedPosition <= this.committedPosition || (!sync && this.asyncCommit != 0)) {
			return;
		}
		long position = this.confirmedPosition;
		Map<TopicPartition, OffsetAndMetadata> offsets = this.run.records().offsetsAt(position);
		if (offsets.isEmpty()) {
			committed(offsets, position);
			return;
		}
		long commit = ++this.commitsStarted;
		JobRun committing = this.run;
		if (sync) {
			try {
				this.wakeup.commitSync(offsets);
			}
			catch (RebalanceInProgressException ex) {
				return;
			}
			committed(commit, committing, offsets, position);
			return;
		}
		this.asyncCommit = commit;
		this.consumer.commitAsync(offsets, (result, failure) -> {
			if (this.asyncCommit == commit) {
				this.asyncCommit = 0;
			}
			if (failure == null) {
				committed(commit, committing, offsets, position);
				// paused partitions may resume, a next commit may start
				this.wakeup.wake();
			}
			else {
				// no wake-up: the next turn's commit retries, a poll later
				logger.log(System.Logger.Level.DEBUG, () -> "Kafka job '" + this.job.name()
						+ "': a commit failed, the next one covers its offsets: " + failure);
			}
		});
	}

	/**
	 * Commit number {@code commit} of {@code offsets} succeeded; one that completes after a later
	 * one (an asynchronous commit overtaken by a synchronous one) changes nothing.
	 */
	private void committed(long commit, JobRun committing, Map<TopicPartition, OffsetAndMetadata> offsets,
			long position) {
		if (commit <= this.lastCommitted) {
			return;
		}
		this.lastCommitted = commit;
		if (committing == this.run) {
			committed(offsets, position);
		}
		else {
			this.progress.committed(offsets);
			this.job.commitListener().committed(offsets);
		}
	}

	private void committed(Map<TopicPartition, OffsetAndMetadata> offsets, long position) {
		this.run.records().dropBelow(position);
		this.committedPosition = Math.max(this.committedPosition, position);
		this.progress.uncommitted.set(this.deliveredPosition - this.committedPosition);
		if (!offsets.isEmpty()) {
			this.progress.committed(offsets);
			this.job.commitListener().committed(offsets);
		}
	}

	/** Waits for every output sent, then commits them. */
	private void awaitSent() {
		long deadline = System.nanoTime() + this.job.closeTimeout().toNanos();
		for (Sent pending : this.sent) {
			try {
				pending.confirmation().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SinkFailure(ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				break;
			}
		}
		commitConfirmed(true);
	}

	private static Throwable causeOf(CompletableFuture<?> failed) {
		try {
			failed.join();
			return new IllegalStateException("completed normally");
		}
		catch (RuntimeException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
	}

	private void startRun() {
		this.runs++;
		this.run = new JobRun(this.job.pipeline(), "blllib-kafka-" + this.job.name() + "-run-" + this.runs,
				this.job.readAhead(), this.wakeup::wake, this::handedOver);
		this.deliveredPosition = 0;
		this.confirmedPosition = 0;
		this.committedPosition = 0;
		this.progress.uncommitted.set(0);
		this.run.start();
	}

	/**
	 * Stops the run; with {@code flush}, sends what it delivered and commits it once confirmed,
	 * else drops it and commits nothing more (the partitions are lost, or the sink failed).
	 */
	private void endRun(boolean flush) {
		JobRun ending = this.run;
		if (ending == null) {
			return;
		}
		ending.stop();
		boolean finished;
		try {
			finished = ending.awaitFinished(this.job.closeTimeout());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			finished = false;
		}
		if (!finished) {
			throw new IllegalStateException("The run of Kafka job '" + this.job.name() + "' did not end within "
					+ this.job.closeTimeout() + " (a stage that ignores interrupts?)");
		}
		if (flush) {
			deliver();
			awaitSent();
		}
		ending.outbound().clear();
		this.sent.clear();
		this.refusedInTransaction.clear();
		this.run = null;
	}

	/**
	 * The run handed an output over: a plain job sends it at once; a transactional one lets
	 * outputs gather for the rest of the poll, as a transaction per output would cost more.
	 */
	private void handedOver() {
		if (!this.job.transactional()) {
			this.wakeup.wake();
		}
	}

	@Override
	public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
		this.wakeup.leavePoll();
		partitions.forEach(this.progress::assigned);
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		this.wakeup.leavePoll();
		if (!partitions.isEmpty() && !this.leaving) {
			restart(partitions, true);
		}
	}

	@Override
	public void onPartitionsLost(Collection<TopicPartition> partitions) {
		this.wakeup.leavePoll();
		if (!partitions.isEmpty() && !this.leaving) {
			restart(partitions, false);
		}
	}

	/**
	 * A rebalance took {@code partitions}: the run ends (with {@code commit}, what it delivered is
	 * committed first), the partitions kept are read again from their first record not committed,
	 * and a new run starts.
	 */
	private void restart(Collection<TopicPartition> partitions, boolean commit) {
		this.progress.rebalances.incrementAndGet();
		JobRun ending = this.run;
		endRun(commit);
		if (ending != null) {
			readAgain(ending, partitions);
		}
		partitions.forEach(this.progress::removed);
	}

	/**
	 * Seeks the partitions of the records {@code ended} held and did not commit past back to the
	 * first of them, so that the next run reads them again; except those in {@code gone}.
	 */
	private void readAgain(JobRun ended, Collection<TopicPartition> gone) {
		Collection<TopicPartition> assigned = this.consumer.assignment();
		ended.records().firstOffsets().forEach((partition, offset) -> {
			if (!gone.contains(partition) && assigned.contains(partition)) {
				this.consumer.seek(partition, offset);
			}
		});
	}

	/** An output sent, and the run's position its confirmation lets the job commit. */
	private record Sent(CompletableFuture<?> confirmation, long position) {
	}

	/** The run failed: the job ends, after committing what the run delivered. */
	private static final class RunFailure extends RuntimeException {

		RunFailure(Throwable cause) {
			super(cause.getMessage(), cause);
		}

	}

	/** The sink failed: the job ends, after committing only what was confirmed. */
	private static final class SinkFailure extends RuntimeException {

		SinkFailure(Throwable cause) {
			super(cause);
		}

	}

}
