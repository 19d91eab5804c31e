package io.github.blllib.kafka;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.blllib.FailedItem;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;

/**
 * One pipeline run over the records of one assignment, consumed on a thread of its own: each
 * output goes, with the positions that place it, to {@link #outbound()}, which the poll thread
 * drains; so do the items the stages skip (through {@link KafkaDeadLetters}). The poll thread
 * {@link #stop() stops} it on a rebalance or at the job's end, and finishes its input when the
 * topics idle (see {@link RecordHandOver}).
 */
final class JobRun {

	private final Pipeline<Object, ?> pipeline;

	private final Thread thread;

	private final RecordHandOver input;

	/** Poll thread only. */
	private final ReadRecords records = new ReadRecords();

	private final ConcurrentLinkedQueue<Delivered> outbound = new ConcurrentLinkedQueue<>();

	private final CountDownLatch finished = new CountDownLatch(1);

	/** The pipeline's run once started; guarded by this. */
	private PipelineRun<?> run;

	/** Guarded by this. */
	private boolean stopped;

	/** Told after each hand-over to {@link #outbound()}. */
	private final Runnable handedOver;

	private volatile Throwable failure;

	/**
	 * @param readAhead the input's read-ahead
	 * @param inputDrained told when a read takes the input below {@code readAhead}
	 * @param handedOver told after each hand-over to {@link #outbound()}
	 */
	JobRun(Pipeline<Object, ?> pipeline, String threadName, int readAhead, Runnable inputDrained,
			Runnable handedOver) {
		this.pipeline = pipeline;
		this.handedOver = handedOver;
		this.input = new RecordHandOver(readAhead, inputDrained);
		this.thread = new Thread(this::consume, threadName);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	RecordHandOver input() {
		return this.input;
	}

	ReadRecords records() {
		return this.records;
	}

	ConcurrentLinkedQueue<Delivered> outbound() {
		return this.outbound;
	}

	/** The run's failure, once it failed on its own (a stage that failed for good). */
	Throwable failure() {
		return this.failure;
	}

	boolean isFinished() {
		return this.finished.getCount() == 0;
	}

	/** Admits no more input and closes the pipeline's run: outputs not yet handed over are lost. */
	void stop() {
		PipelineRun<?> started;
		synchronized (this) {
			this.stopped = true;
			started = this.run;
		}
		this.input.end();
		if (started != null) {
			started.close();
		}
	}

	/** Whether the run's thread is done, waiting up to {@code timeout}. */
	boolean awaitFinished(Duration timeout) throws InterruptedException {
		return this.finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void consume() {
		try {
			PipelineRun<?> pipelineRun = this.pipeline.apply(this.input);
			if (!attach(pipelineRun)) {
				pipelineRun.close();
				return;
			}
			KafkaDeadLetters.route((item) -> handOver(new Skipped(item, origin(item, pipelineRun))));
			try (pipelineRun) {
				while (pipelineRun.hasNext()) {
					long origin = pipelineRun.position();
					Object output = pipelineRun.next();
					handOver(new Output(output, origin, pipelineRun.position()));
				}
				if (!isStopped()) {
					handOver(new Exhausted(pipelineRun.position()));
				}
			}
			finally {
				KafkaDeadLetters.unroute();
			}
		}
		catch (RuntimeException | Error ex) {
			if (!isStopped()) {
				this.failure = ex;
			}
		}
		finally {
			this.finished.countDown();
		}
	}

	private void handOver(Delivered item) {
		this.outbound.add(item);
		this.handedOver.run();
	}

	/**
	 * The input a skipped item stands for: a first stage's item is input {@code index} itself (a
	 * window: its first item); a later stage's derives from an input at or after the run's
	 * position, which is the best known.
	 */
	private long origin(FailedItem item, PipelineRun<?> pipelineRun) {
		boolean firstStage = this.pipeline.stages().get(0).name().equals(item.stage());
		return firstStage ? item.index() : pipelineRun.position();
	}

	private synchronized boolean attach(PipelineRun<?> pipelineRun) {
		this.run = pipelineRun;
		return !this.stopped;
	}

	private synchronized boolean isStopped() {
		return this.stopped;
	}

	/** What the run handed over: an output or a skipped item, in input order, then its end. */
	sealed interface Delivered permits Output, Skipped, Exhausted {
	}

	/**
	 * An output of the run.
	 * @param value the output
	 * @param origin the input it derives from: the run's position just before it was handed over
	 * @param position the run's position just after: every input below it is delivered
	 */
	record Output(Object value, long origin, long position) implements Delivered {
	}

	/**
	 * The run's input was finished (the topics idled) and the run ended, every output handed over.
	 * @param position the inputs read: all are delivered
	 */
	record Exhausted(long position) implements Delivered {
	}

	/**
	 * An item a stage skipped.
	 * @param item the skipped item
	 * @param origin the input it stands for (see {@link JobRun#origin})
	 */
	record Skipped(FailedItem item, long origin) implements Delivered {
	}

}
