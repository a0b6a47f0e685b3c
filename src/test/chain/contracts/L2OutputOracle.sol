// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Test fixture after seed 002: the proposer posts output roots; a guardian can pause.
contract L2OutputOracle {
    address public proposer;
    address public guardian;
    bool public paused;
    struct OutputProposal {
        bytes32 outputRoot;
        uint128 timestamp;
        uint128 l2BlockNumber;
    }

    OutputProposal[] private outputs;

    event OutputProposed(bytes32 indexed outputRoot, uint256 indexed l2OutputIndex, uint256 indexed l2BlockNumber, uint256 l1Timestamp);
    event Paused(address account);
    event Unpaused(address account);

    constructor(address _proposer) {
        proposer = _proposer;
        guardian = msg.sender;
    }

    function proposeL2Output(bytes32 outputRoot, uint256 l2BlockNumber) external {
        require(msg.sender == proposer, "L2OutputOracle: only the proposer can propose");
        require(!paused, "L2OutputOracle: paused");
        outputs.push(OutputProposal(outputRoot, uint128(block.timestamp), uint128(l2BlockNumber)));
        emit OutputProposed(outputRoot, outputs.length - 1, l2BlockNumber, block.timestamp);
    }

    function latestOutputIndex() external view returns (uint256) {
        require(outputs.length > 0, "L2OutputOracle: no outputs");
        return outputs.length - 1;
    }

    /// As OP Stack's L2OutputOracle: the output at an index, with the timestamp of the block that proposed it.
    function getL2Output(uint256 index) external view returns (OutputProposal memory) {
        require(index < outputs.length, "L2OutputOracle: no output at this index");
        return outputs[index];
    }

    function pause() external {
        require(msg.sender == guardian, "L2OutputOracle: only the guardian can pause");
        require(!paused, "already paused");
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external {
        require(msg.sender == guardian, "L2OutputOracle: only the guardian can unpause");
        require(paused, "not paused");
        paused = false;
        emit Unpaused(msg.sender);
    }
}
