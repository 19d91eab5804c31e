package io.github.blllib.docsamples;

import java.util.List;
import java.util.stream.Stream;

import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import io.github.blllib.Stage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

/** The stage beans and the job of docs/configuration.md. */
interface RemoteService {

	Integer lookup(Integer id);

}

class Accumulator implements Stage<Integer, Long> {

	private long total;

	@Override
	public Long apply(Integer x) {
		this.total += x;
		return this.total;
	}

}

// tag::configuration-stages[]
@Component("diff")
@BlllibStage(stateful = "3", batchSize = 8)          // windows of 3 items, 8 windows in flight
class SecondDifference implements Stage<List<Integer>, Integer> {
    public Integer apply(List<Integer> w) { return w.get(2) - w.get(0); }
}

@Configuration
class Stages {
    @Bean
    @BlllibStage(stateful = "false", batchSize = 16)  // thread-safe: runs on the worker pool
    Stage<Integer, Integer> enrich(RemoteService service) { return service::lookup; }

    @Bean
    @Scope("prototype")                                // stateful: a fresh one per pipeline
    Stage<Integer, Long> accumulate() { return new Accumulator(); }
}
// end::configuration-stages[]

// tag::configuration-job[]
@Service
class ReportJob {
    private final PipelineFactory pipelines;

    ReportJob(PipelineFactory pipelines) { this.pipelines = pipelines; }

    void run(List<Integer> ids) {
        try (Pipeline<Integer, Integer> pipeline = pipelines.create("report");   // from configuration
             PipelineRun<Integer> run = pipeline.apply(ids)) {                   // lazy: nothing runs yet
            run.forEachRemaining(System.out::println);                           // outputs in input order
        }
    }

    long firstTen(Iterable<Integer> endless) {
        try (Pipeline<Integer, Integer> pipeline = pipelines.create("adhoc", "enrich", "diff");
             Stream<Integer> outputs = pipeline.apply(endless).stream()) {       // closing the stream closes the run
            return outputs.limit(10).count();
        }
    }
}
// end::configuration-job[]
