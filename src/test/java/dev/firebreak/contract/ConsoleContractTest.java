package dev.firebreak.contract;

/** The chat contract on the real console adapter reading a pipe, as firebreak console reads stdin. */
class ConsoleContractTest extends ChatContract {

    @Override
    ChatDriver connect(ContractEnvironment environment) {
        return new ConsoleDriver(environment);
    }
}
