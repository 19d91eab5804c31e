package io.github.blllib.flink;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import io.github.blllib.DeadLetterHandler;
import io.github.blllib.StageKind;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * A stateless or window stage on one of {@code parallelism} subtasks, under Flink's ordered
 * async I/O operator: it lets at most batch-size items in flight per subtask, and this function
 * runs each call on a pool that grows with the calls in flight up to that many threads. A dropped item passes through as it came, to
 * keep its place for the next ordering point.
 */
final class ParallelStageFunction extends RichAsyncFunction<Sequenced, Sequenced> {

	private static final long serialVersionUID = 1L;

	private final String pipeline;

	private final StagePlan plan;

	/** Receives the items the stage skips; null to log them. */
	private final DeadLetterHandler deadLetters;

	private transient ExecutorService calls;

	private transient StageCaller caller;

	ParallelStageFunction(String pipeline, StagePlan plan, DeadLetterHandler deadLetters) {
		this.pipeline = pipeline;
		this.plan = plan;
		this.deadLetters = deadLetters;
	}

	@Override
	public void open(OpenContext openContext) {
		String threadName = "blllib-flink-" + this.pipeline + "-" + this.plan.name() + "-"
				+ getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
		this.calls = OnDemandThreadPool.create(this.plan.batchSize(), threadName);
		this.caller = new StageCaller(this.pipeline, this.plan.source().open(getRuntimeContext()), this.deadLetters, threadName);
	}

	@Override
	public void asyncInvoke(Sequenced item, ResultFuture<Sequenced> result) {
		if (item.isDropped()) {
			result.complete(List.of(item));
			return;
		}
		Object input = (this.plan.kind() == StageKind.WINDOW)
				? Collections.unmodifiableList((List<?>) item.value) : item.value;
		this.calls.execute(() -> {
			Sequenced output;
			try {
				output = new Sequenced(item.sequence, this.caller.call(input, item.sequence));
			}
			catch (Throwable ex) {
				deliver(() -> result.completeExceptionally(ex));
				return;
			}
			deliver(() -> result.complete(List.of(output)));
		});
	}

	/** Hands a call's outcome to the operator, unless its task has already ended (failed or cancelled). */
	private static void deliver(Runnable completion) {
		try {
			completion.run();
		}
		catch (RejectedExecutionException ex) {
			// the task's mailbox is closed: nobody waits for this outcome any more
		}
	}

	@Override
	public void close() {
		if (this.calls != null) {
			this.calls.shutdownNow();
		}
		if (this.caller != null) {
			this.caller.close();
		}
	}

}
