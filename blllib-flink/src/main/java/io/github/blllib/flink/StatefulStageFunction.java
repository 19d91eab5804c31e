package io.github.blllib.flink;

import io.github.blllib.DeadLetterHandler;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A stateful stage (parallelism 1), fed in order by the ordering point before it: one call at a
 * time, in sequence. Its outputs leave in order, the dropped ones removed and the rest numbered
 * afresh, so that the next stateful stage, or the output, needs no ordering point of its own.
 */
final class StatefulStageFunction extends KeyedProcessFunction<Integer, Sequenced, Sequenced> {

	private static final long serialVersionUID = 1L;

	private final String pipeline;

	private final StagePlan plan;

	/** Receives the items the stage skips; null to log them. */
	private final DeadLetterHandler deadLetters;

	/** Items this stage has been given (its own input index). */
	private transient ValueState<Long> nextIn;

	/** Outputs it has emitted. */
	private transient ValueState<Long> nextOut;

	private transient StageCaller caller;

	StatefulStageFunction(String pipeline, StagePlan plan, DeadLetterHandler deadLetters) {
		this.pipeline = pipeline;
		this.plan = plan;
		this.deadLetters = deadLetters;
	}

	@Override
	public void open(OpenContext openContext) {
		this.nextIn = getRuntimeContext().getState(new ValueStateDescriptor<>("next-in", Types.LONG));
		this.nextOut = getRuntimeContext().getState(new ValueStateDescriptor<>("next-out", Types.LONG));
		this.caller = new StageCaller(this.pipeline, this.plan.source().open(getRuntimeContext()), this.deadLetters,
				"blllib-flink-" + this.pipeline + "-" + this.plan.name());
	}

	@Override
	public void processElement(Sequenced item, Context context, Collector<Sequenced> out) throws Exception {
		if (item.isDropped()) {
			return;
		}
		long index = valueOrZero(this.nextIn);
		this.nextIn.update(index + 1);
		Object output = this.caller.call(item.value, index);
		if (output != null) {
			long sequence = valueOrZero(this.nextOut);
			out.collect(new Sequenced(sequence, output));
			this.nextOut.update(sequence + 1);
		}
	}

	@Override
	public void close() {
		if (this.caller != null) {
			this.caller.close();
		}
	}

	private static long valueOrZero(ValueState<Long> state) throws Exception {
		Long value = state.value();
		return (value != null) ? value : 0;
	}

}
