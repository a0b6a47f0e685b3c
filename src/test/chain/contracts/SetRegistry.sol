// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Test fixture after seed 000: sequencers commit batches; the owner (multisig) authorises them.
contract SetRegistry {
    address public owner;
    mapping(address => bool) public authorizedSequencers;
    uint256 public totalCommitments;

    event SequencerAuthorizationChanged(address indexed sequencer, bool authorized);
    event Committed(bytes32 indexed root, uint256 indexed index, address indexed sequencer);

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        require(msg.sender == owner, "SetRegistry: caller is not the owner");
        _;
    }

    function setSequencerAuthorization(address sequencer, bool authorized) external onlyOwner {
        authorizedSequencers[sequencer] = authorized;
        emit SequencerAuthorizationChanged(sequencer, authorized);
    }

    function deauthorizeSequencer(address sequencer) external onlyOwner {
        require(authorizedSequencers[sequencer], "SetRegistry: sequencer not authorized");
        authorizedSequencers[sequencer] = false;
        emit SequencerAuthorizationChanged(sequencer, false);
    }

    function commit(bytes32 root) external {
        require(authorizedSequencers[msg.sender], "SetRegistry: sequencer not authorized");
        emit Committed(root, totalCommitments, msg.sender);
        totalCommitments += 1;
    }
}
