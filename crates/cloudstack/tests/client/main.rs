//! Integration tests of the CloudStack client: signing (published vectors and the Python `cs`
//! package), parsing of every recorded response, and behaviour against a local test server.

mod fixtures;
mod python;
mod server;
mod signing;
mod sim;
mod support;
