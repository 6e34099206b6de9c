"""MSE Upgrading Advisor engine.

Data flows one way:

    YAML files --loader--> KnowledgeBase specs --compiler--> experta engine class
    case file --cases--> input facts --runner--> firings + trace --result--> contract dict

The loader never imports experta; nothing here prints or reads the terminal.
"""
__version__ = "0.1.0"
