package io.github.blllib.docsamples;

import java.util.List;

import io.github.blllib.StageSpec;
import io.github.blllib.flink.FlinkPipeline;
import io.github.blllib.flink.SerializableStage;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The example of docs/flink.md. */
class FlinkSample {

	static DataStream<Double> build(StreamExecutionEnvironment env) {
		// tag::flink-job[]
		DataStream<Integer> input = env.fromData(List.of(0, 1, 2, 3, 4));
		DataStream<Double> out = FlinkPipeline.<Integer>builder("report")      // package io.github.blllib.flink
		        .then(StageSpec.stateless("enrich", SerializableStage.of((Integer x) -> lookup(x))).batchSize(16))
		        .then(StageSpec.stateful("sum", new Accumulator()))              // a Serializable class
		        .then(StageSpec.window("ratio", 2, SerializableStage.of((List<Long> w) -> (double) w.get(1) / w.get(0))))
		        .parallelism(4)                                                  // subtasks of each stateless/window stage
		        .build()
		        .apply(input, Types.DOUBLE);                                     // apply(input): outputs typed as Object
		// end::flink-job[]
		return out;
	}

	static Integer lookup(Integer x) {
		return x + 1;
	}

	static class Accumulator implements SerializableStage<Integer, Long> {

		private static final long serialVersionUID = 1L;

		private long total;

		@Override
		public Long apply(Integer x) {
			this.total += x;
			return this.total;
		}

	}

}
