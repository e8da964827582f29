// The memo in policy/coexist/simulator-memo.ts patches iam-utils as iam-simulate loads it: the
// shape it relies on, and answers equal to the dependency's own.
import { createRequire } from "node:module";
import { memoizeResourceTypes, unmemoized } from "../policy/coexist/simulator-memo";

const fromSimulator = createRequire(require.resolve("@cloud-copilot/iam-simulate"));
const utils = fromSimulator("@cloud-copilot/iam-utils") as {
  mostSpecificMatchingResourceTypePatterns: (r: string, p: string[]) => string[];
};

test("iam-simulate's view of iam-utils gets the memo, which answers as the original does", () => {
  memoizeResourceTypes();
  const original = unmemoized();
  expect(typeof original).toBe("function");
  expect(utils.mostSpecificMatchingResourceTypePatterns).not.toBe(original);
  const patterns = [
    "arn:${Partition}:ec2:${Region}:${Account}:network-interface/${NetworkInterfaceId}",
    "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}",
    "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
  ];
  for (const arn of [
    "arn:aws:ec2:us-west-2:111122223333:network-interface/eni-0abc",
    "arn:aws:ec2:us-west-2:111122223333:instance/i-0abc",
    "arn:aws:s3:::bucket/key",
    "*",
  ]) {
    const first = utils.mostSpecificMatchingResourceTypePatterns(arn, patterns);
    expect(first).toEqual(original!(arn, patterns));
    first.push("changed by a caller");
    expect(utils.mostSpecificMatchingResourceTypePatterns(arn, patterns)).toEqual(
      original!(arn, patterns),
    );
  }
});
